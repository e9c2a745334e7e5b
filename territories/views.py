from django.views.generic import DetailView, ListView

from .models import Territory


class TerritoryListView(ListView):
    template_name = "territories/territory_list.html"
    context_object_name = "metropolises"

    def get_queryset(self):
        return Territory.objects.metropolises()


class TerritoryDetailView(DetailView):
    template_name = "territories/territory_detail.html"

    def get_queryset(self):
        return Territory.objects.select_related("region", "department", "epci")
