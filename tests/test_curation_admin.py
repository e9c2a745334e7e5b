"""Curators in the admin: exactly their permissions, the review queue, moderation, history."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from curation.permissions import CURATOR_GROUP, curator_permission_codes
from initiatives.models import Initiative, Status, StatusChange
from tests.factories import (
    CommuneFactory,
    InitiativeFactory,
    PendingInitiativeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/initiatives/initiative/"


@pytest.fixture
def curator(django_user_model):
    call_command("create_curator", "alice", email="alice@example.org", password="Curat0r-pass-2026")
    return django_user_model.objects.get(username="alice")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_migrate_creates_the_curator_group_with_exactly_its_permissions():
    group = Group.objects.get(name=CURATOR_GROUP)
    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert granted == curator_permission_codes()
    assert not any(app in ("auth", "sessions", "admin", "contenttypes") for app, _ in granted)


def test_create_curator_makes_a_staff_member_of_the_group(curator):
    assert curator.is_staff and not curator.is_superuser
    assert curator.groups.filter(name=CURATOR_GROUP).exists()
    assert curator.check_password("Curat0r-pass-2026")
    assert curator.email == "alice@example.org"


def test_create_curator_upgrades_an_existing_user(django_user_model):
    bob = django_user_model.objects.create_user("bob", password="Old-pass-2026!")
    call_command("create_curator", "bob", "--no-input")
    bob.refresh_from_db()
    assert bob.is_staff and bob.groups.filter(name=CURATOR_GROUP).exists()
    assert bob.check_password("Old-pass-2026!")  # an existing password is kept


def test_create_curator_refuses_a_weak_password(django_user_model):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_curator", "carol", password="123")
    assert not django_user_model.objects.filter(username="carol").exists()


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_a_curator_cannot_manage_users_or_groups(curator_client, url):
    assert curator_client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        "/admin/initiatives/correction/",
        "/admin/initiatives/statuschange/",
        "/admin/initiatives/theme/add/",
        "/admin/initiatives/actionlever/",
        "/admin/initiatives/territorylever/add/",
        "/admin/territories/programme/add/",
        "/admin/territories/territory/",
    ],
)
def test_a_curator_reaches_initiatives_and_reference_data(curator_client, url):
    assert curator_client.get(url).status_code == 200


def test_a_curator_cannot_rewrite_the_administrative_map_but_can_set_programmes(curator_client):
    commune = CommuneFactory()
    response = curator_client.get(f"/admin/territories/territory/{commune.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "programmes" in form.fields
    assert "name" not in form.fields and "population" not in form.fields
    assert curator_client.get("/admin/territories/territory/add/").status_code == 403


def test_the_review_queue_is_the_default_view_oldest_first(curator_client):
    older = PendingInitiativeFactory(name="Older")
    newer = PendingInitiativeFactory(name="Newer")
    Initiative.objects.filter(pk=older.pk).update(created_at="2020-01-01T00:00:00Z")
    InitiativeFactory(name="Already published")

    response = curator_client.get(CHANGELIST)

    shown = list(response.context["cl"].result_list)
    assert shown == [older, newer]


def test_all_statuses_remain_one_click_away(curator_client):
    PendingInitiativeFactory()
    InitiativeFactory()
    response = curator_client.get(CHANGELIST + "?status=all")
    assert response.context["cl"].result_count == 2


def test_the_changelist_filters_and_searches(curator_client):
    theme = ThemeFactory(slug="alimentation")
    match = InitiativeFactory(name="Épicerie", organisation="Coop du coin", themes=[theme])
    InitiativeFactory(name="Garage")
    base = CHANGELIST + "?status=published"
    assert list(curator_client.get(base + "&q=coop+du").context["cl"].result_list) == [match]
    assert list(
        curator_client.get(base + f"&themes__id__exact={theme.pk}").context["cl"].result_list
    ) == [match]
    region = match.region_id
    assert match in curator_client.get(base + f"&region={region}").context["cl"].result_list
    size = curator_client.get(base + "&size_class=rural").context["cl"].result_list
    assert list(size) == []


def test_the_admin_index_shows_the_pending_count(curator_client):
    PendingInitiativeFactory.create_batch(3)
    InitiativeFactory()
    response = curator_client.get("/en/admin/")
    assert "3 initiatives wait for review" in response.text


def action(client, name, initiatives, **extra):
    data = {"action": name, "_selected_action": [i.pk for i in initiatives], **extra}
    return client.post(CHANGELIST + "?status=all", data)


def test_bulk_publish(curator_client, curator):
    items = PendingInitiativeFactory.create_batch(2)
    action(curator_client, "publish_selected", items)
    for item in items:
        item.refresh_from_db()
        assert item.status == Status.PUBLISHED
        assert item.status_changes.get().by == curator


def test_bulk_reject_asks_for_a_reason_first(curator_client):
    item = PendingInitiativeFactory()

    page = action(curator_client, "reject_selected", [item])
    assert page.status_code == 200
    assert 'name="reason"' in page.text
    item.refresh_from_db()
    assert item.status == Status.PENDING

    action(curator_client, "reject_selected", [item], apply="1", reason="Hors du champ de l'ESS")
    item.refresh_from_db()
    assert item.status == Status.REJECTED
    assert item.status_changes.get().reason == "Hors du champ de l'ESS"


def test_bulk_archive_skips_what_cannot_be_archived(curator_client):
    published, pending = InitiativeFactory(), PendingInitiativeFactory()
    response = action(curator_client, "archive_selected", [published, pending])
    published.refresh_from_db()
    pending.refresh_from_db()
    assert (published.status, pending.status) == (Status.ARCHIVED, Status.PENDING)
    assert response.status_code == 302


def change_form_data(client, initiative):
    response = client.get(f"{CHANGELIST}{initiative.pk}/change/")
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or (name == "image" and not value):
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for prefix in ("status_changes", "corrections"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_curator_edits_are_recorded_in_history_with_their_author(curator_client, curator):
    theme = ThemeFactory()
    item = PendingInitiativeFactory(themes=[theme])
    data = change_form_data(curator_client, item)
    data.update(summary="Résumé corrigé par la curatrice.")

    response = curator_client.post(f"{CHANGELIST}{item.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.summary == "Résumé corrigé par la curatrice."
    latest = item.history.latest()
    assert latest.history_user == curator
    assert latest.summary == "Résumé corrigé par la curatrice."


def test_the_change_form_can_publish_in_the_same_step(curator_client, curator):
    item = PendingInitiativeFactory(themes=[ThemeFactory()])
    data = {**change_form_data(curator_client, item), "_transition": "published"}
    curator_client.post(f"{CHANGELIST}{item.pk}/change/", data)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert StatusChange.objects.get().by == curator


def test_the_status_field_cannot_be_edited_directly(curator_client):
    item = PendingInitiativeFactory(themes=[ThemeFactory()])
    data = {**change_form_data(curator_client, item), "status": "published"}
    curator_client.post(f"{CHANGELIST}{item.pk}/change/", data)
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_history_is_visible_and_revertible(curator_client):
    item = InitiativeFactory(summary="Première version.")
    item.summary = "Deuxième version."
    item.save()
    first = item.history.earliest()

    history = curator_client.get(f"{CHANGELIST}{item.pk}/history/")
    assert history.status_code == 200
    assert len(history.context["page_obj"].object_list) == 2
    revert = curator_client.get(f"{CHANGELIST}{item.pk}/history/{first.history_id}/")
    assert revert.status_code == 200
    assert "Première version." in revert.text


def test_a_curator_archives_but_cannot_delete_initiatives_or_reference_data(curator_client):
    item = InitiativeFactory()
    theme = ThemeFactory()
    for url in (
        f"{CHANGELIST}{item.pk}/delete/",
        f"/admin/initiatives/theme/{theme.pk}/delete/",
    ):
        assert curator_client.get(url).status_code == 403
        assert curator_client.post(url, {"post": "yes"}).status_code == 403
    listing = curator_client.get(CHANGELIST + "?status=all")
    assert "delete_selected" not in listing.text
    assert "archive_selected" in listing.text
    assert Initiative.objects.filter(pk=item.pk).exists()
