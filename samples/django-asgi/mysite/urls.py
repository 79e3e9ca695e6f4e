from django.http import HttpResponse
from django.urls import path


async def index(request):
    return HttpResponse("Hello from Django over ASGI!\n")


urlpatterns = [path("", index)]
