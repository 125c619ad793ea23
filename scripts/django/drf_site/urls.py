"""Two routes: GET /open (anyone) and GET /protected (upstream's HasAPIKey), both {"ok": true}.
A refused request gets DRF's 403."""
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_api_key.permissions import HasAPIKey


class Open(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


class Protected(APIView):
    permission_classes = [HasAPIKey]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("open", Open.as_view()), path("protected", Protected.as_view())]
