from django.urls import path

from actions import views as action_views

from . import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/change/", views.plan_change, name="plan-change"),
    path("<int:pk>/themes/", views.plan_add_theme, name="plan-add-theme"),
    path("<int:pk>/wider-areas/", views.plan_add_wider_area, name="plan-add-wider-area"),
    path("<int:pk>/repeats/<int:link_pk>/", views.repeat_decide, name="plan-repeat-decide"),
    path("<int:pk>/actions/new/", action_views.draft_action, name="plan-action-draft"),
]
