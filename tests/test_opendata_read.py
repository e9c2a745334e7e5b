"""The read API v1: the directory's parameters and order, pages, validators, CORS, errors."""

import pytest
from django.test import override_settings

from initiatives.filters import InitiativeFilterSet
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_the_list_holds_the_published_initiatives_in_the_directorys_order(client, world):
    response = client.get(API + "initiatives/", {"sort": "name"})
    assert response.status_code == 200
    body = response.json()
    directory = InitiativeFilterSet({"sort": "name"}).qs
    expected = [initiative.name for initiative in directory]
    assert expected[2] == "Épicerie du hameau"  # accents folded, as the directory sorts
    assert body["count"] == len(expected) == 4
    assert names(response) == expected
    assert world.pending.name not in names(response)


def test_the_list_takes_the_directorys_parameters_through_its_filterset(client, world):
    response = client.get(
        API + "initiatives/", {"theme": "alimentation", "territory": "metropole-test"}
    )
    assert names(response) == [world.repair.name]
    row = response.json()["results"][0]
    assert row["themes"] == ["alimentation", "habitat-energie"]
    assert row["commune"] == "Grandeville"
    assert row["url"].endswith(world.repair.get_absolute_url())
    assert "submitter_email" not in row


def test_pages_are_stable_and_linked(client, world):
    first = client.get(API + "initiatives/", {"sort": "name", "page_size": 3}).json()
    second = client.get(first["next"]).json()
    assert first["previous"] is None and second["next"] is None
    assert len(first["results"]) == 3 and len(second["results"]) == 1
    assert second["previous"].endswith("page=1") or "page=1" in second["previous"]
    all_names = [r["name"] for r in first["results"] + second["results"]]
    assert len(set(all_names)) == 4


def test_a_page_past_the_end_is_a_404_saying_so(client, world):
    response = client.get(API + "initiatives/", {"page": 9}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 9: the results have 1."}


def test_a_bad_filter_value_is_a_400_listing_the_reasons_in_the_readers_language(client, world):
    params = {"theme": "nope", "bbox": "1,2", "page_size": "0"}
    french = client.get(API + "initiatives/", params)
    english = client.get(API + "initiatives/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == english.status_code == 400
    assert set(english.json()["errors"]) == {"theme", "bbox", "page_size"}
    assert english.json()["errors"]["theme"] == ["Unknown value in “Themes”: “nope”."]
    assert french.json()["errors"]["theme"] == ["Valeur inconnue dans « Thèmes » : « nope »."]
    assert "ETag" not in english


def test_an_unchanged_answer_is_a_304_until_the_data_changes(client, world):
    first = client.get(API + "initiatives/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(API + "initiatives/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get(API + "initiatives/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    InitiativeFactory(name="Nouvelle", commune=world.city, themes=[world.food])
    changed = client.get(API + "initiatives/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Nouvelle" in names(changed)


def test_any_site_may_read_it(client, world):
    response = client.get(API + "initiatives/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        API + "initiatives/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_detail_of_a_published_initiative_only(client, world):
    response = client.get(f"{API}initiatives/{world.repair.slug}/")
    assert response.status_code == 200
    assert response.json()["name"] == world.repair.name
    assert response["ETag"]
    missing = client.get(f"{API}initiatives/{world.pending.slug}/")
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_territories_with_their_counts(client, world):
    body = client.get(API + "territories/", {"kind": "epci"}).json()
    metropolis = next(t for t in body["results"] if t["slug"] == "metropole-test")
    assert metropolis["initiative_count"] == 2
    detail = client.get(metropolis["api_url"]).json()
    assert detail["initiative_count"] == 2
    assert {"slug": "alimentation", "count": 1} in detail["themes"]
    assert detail["department"] == "rhone-test"
    bad = client.get(API + "territories/", {"kind": "planet"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad.json()["errors"]["kind"] == ["Unknown kind of territory: “planet”."]


def test_reference_lists_with_counts_in_the_readers_language(client, world):
    themes = client.get(API + "themes/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    food = next(t for t in themes if t["slug"] == "alimentation")
    assert food["name"] == "Food" and food["initiative_count"] == 2
    for path in ("practices/", "legal-forms/", "levers/"):
        assert client.get(API + path).status_code == 200
    levers = client.get(API + "levers/").json()["results"]
    assert levers[0]["slug"] == "locaux" and levers[0]["initiative_count"] == 1


@override_settings(API_RATE_LIMIT=3)
def test_too_many_requests_is_a_429_with_retry_after(client, world):
    for _ in range(3):
        assert client.get(API + "themes/").status_code == 200
    response = client.get(API + "themes/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "detail" in response.json()


def test_the_schema_and_its_documentation_are_served_from_here(client, world):
    schema = client.get(API + "openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    parameters = {p["name"] for p in spec["paths"]["/api/v1/initiatives/"]["get"]["parameters"]}
    # Every parameter of the directory's FilterSet, and the page size.
    assert parameters >= {"q", "theme", "practice", "lever", "legal_form", "size_class"}
    assert parameters >= {"low_tech", "territory", "bbox", "near", "sort", "page", "page_size"}
    docs = client.get(API + "docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
    script = client.get(API + "docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")


def test_the_about_page_links_the_api_documentation(client, world):
    assert 'href="/api/v1/docs/"' in client.get("/about/").content.decode()


@pytest.mark.parametrize("q", ["!", "&&", "—", "'"])
def test_a_search_of_punctuation_alone_finds_nothing_without_error(client, world, q):
    # It used to be a 500 on SQLite (relevance sorted on a rank the empty search lacked).
    assert client.get(API + "initiatives/", {"q": q}).json()["results"] == []
    assert client.get("/initiatives/", {"q": q}).status_code == 200


def test_a_malformed_identifier_is_the_apis_json_404(client, world):
    for path in ("initiatives/a b/", "territories/%C3%A9t%C3%A9/"):
        response = client.get(API + path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_a_page_costs_the_same_queries_for_5_rows_or_50(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(60):
        InitiativeFactory(name=f"Lot {n:02}", commune=world.city, themes=[world.food])
    client.get(API + "initiatives/")  # the connection's first-request set-up, apart
    costs = {}
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                API + "initiatives/", {"page_size": size, "theme": "alimentation"}
            )
        assert len(response.json()["results"]) == size
        costs[size] = len(queries)
    # No query per row: the second page size even finds the result count in the cache.
    # (17: version, count, the page, then one query per multi-valued column, areas served too.)
    assert costs[50] <= costs[5] <= 17


def test_the_schema_lists_exactly_the_directorys_parameters_and_the_page_size(client, world):
    spec = client.get(API + "openapi.json").json()
    parameters = {p["name"] for p in spec["paths"]["/api/v1/initiatives/"]["get"]["parameters"]}
    assert parameters == {*InitiativeFilterSet.base_filters, "page", "page_size"}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"sort": "name"},
        {"theme": ["alimentation", "mobilite"], "sort": "name"},
        {"territory": "rhone-test", "low_tech": "true"},
        {"q": "vélo"},
        {"near": "grandeville", "sort": "distance"},
        {"size_class": "rural"},
    ],
)
def test_the_api_and_the_directory_page_list_the_same_initiatives_in_the_same_order(
    client, world, query
):
    page = client.get("/initiatives/", query).context["page_obj"]
    api = client.get(API + "initiatives/", query).json()
    assert api["count"] == page.paginator.count
    assert names(client.get(API + "initiatives/", query)) == [i.name for i in page.object_list]


def test_answers_differ_by_language_and_say_so(client, world):
    french = client.get(API + "themes/")
    english = client.get(API + "themes/", HTTP_ACCEPT_LANGUAGE="en")
    assert french["ETag"] != english["ETag"]
    assert "Accept-Language" in english["Vary"]
    assert english["Content-Language"] == "en"
    assert client.get(API + "themes/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


def test_the_documentation_links_to_itself_in_the_other_language(client, world):
    french = client.get(API + "docs/").content.decode()
    assert "Documentation de l’API" in french and 'href="?lang=en"' in french
    english = client.get(API + "docs/?lang=en").content.decode()
    assert "<h1>API documentation</h1>" in english and 'href="?lang=fr"' in english
    # Its script asks for the schema in the same language.
    script = client.get(API + "docs/?lang=en&script=").content.decode("unicode_escape")
    assert "openapi.json?lang=en" in script
    schema = client.get(API + "openapi.json?lang=en").json()
    assert schema["paths"]["/api/v1/themes/"]["get"]["summary"] == "Themes"


def test_the_root_lists_the_endpoints_and_any_other_address_is_a_json_404(client, world):
    root = client.get(API).json()
    assert root["initiatives"].endswith("/api/v1/initiatives/")
    assert root["docs"].endswith("/api/v1/docs/")
    for path in ("nothing-here", "themes/extra/", "initiatives/a/b"):
        response = client.get(API + path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    redirected = client.get(API + "initiatives?theme=alimentation")
    assert redirected.status_code == 301
    assert redirected["Location"] == API + "initiatives/?theme=alimentation"


def test_describing_the_filterset_leaves_its_messages_in_each_readers_language(client, world):
    # Building the schema used to build and keep the filters' form fields, in French: the
    # directory's errors then stayed French, and lost their own wording, for everyone.
    client.get(API + "openapi.json")
    english = client.get(API + "initiatives/", {"sort": "sideways"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"]["sort"] == ["Unknown sort order."]
    page = client.get("/en/initiatives/", {"theme": "nope"})
    assert "Unknown value in “Themes”: “nope”." in page.content.decode()
