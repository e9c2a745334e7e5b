from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import ActionLever, Initiative, Theme


def home(request):
    published = Initiative.objects.published()
    return render(
        request,
        "initiatives/home.html",
        {
            "initiative_count": published.count(),
            "themes": Theme.objects.all(),
            "latest": published.with_public_relations().order_by("-published_at")[:6],
        },
    )


class InitiativeListView(ListView):
    paginate_by = 20
    template_name = "initiatives/initiative_list.html"

    def get_queryset(self):
        return Initiative.objects.published().with_public_relations()


class InitiativeDetailView(DetailView):
    template_name = "initiatives/initiative_detail.html"

    def get_queryset(self):
        return Initiative.objects.published().with_public_relations()


class LeverListView(ListView):
    model = ActionLever
    template_name = "initiatives/lever_list.html"


class LeverDetailView(DetailView):
    model = ActionLever
    template_name = "initiatives/lever_detail.html"
