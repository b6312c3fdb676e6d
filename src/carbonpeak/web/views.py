from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    # the dashboard arrives with the monitoring issue; until then the plan is the home page
    return redirect("plans:plan")
