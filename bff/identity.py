"""Identity operations of the mini-program: WeChat login, logout, me, SMS codes, phone."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField
from bff.serializing import validated
from bff.throttles import LoginThrottle
from contexts.identity import bootstrap as identity


class UserSerializer(serializers.Serializer):
    id = serializers.CharField()
    nickname = serializers.CharField()
    avatar_url = serializers.CharField()
    phone = serializers.CharField(allow_null=True)


class WeChatLoginInput(serializers.Serializer):
    code = StrictCharField(max_length=128)
    nickname = StrictCharField(max_length=64, required=False, allow_blank=True)
    avatar_url = serializers.URLField(max_length=500, required=False, allow_blank=True)


class LoginOutput(serializers.Serializer):
    token = serializers.CharField()
    user = UserSerializer()


class SmsCodeInput(serializers.Serializer):
    phone = StrictCharField(max_length=20)
    purpose = serializers.ChoiceField(choices=["bind_phone", "create_store"])


class BindPhoneInput(serializers.Serializer):
    phone = StrictCharField(max_length=20)
    code = StrictCharField(max_length=12)


class WeChatLoginView(APIView):
    authentication_classes: list = []  # a stale token must not block logging in again
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=WeChatLoginInput, responses={200: LoginOutput}, tags=["identity"])
    def post(self, request):
        data = validated(WeChatLoginInput, request.data)
        result = identity.login_with_wechat(
            code=data["code"],
            nickname=data.get("nickname"),
            avatar_url=data.get("avatar_url"),
        )
        return Response({"token": result.token, "user": result.user.as_dict()})


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None}, tags=["identity"])
    def post(self, request):
        identity.revoke_token(raw_token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer}, tags=["identity"])
    def get(self, request):
        return Response(identity.get_me(user_id=request.user.id).as_dict())


class SmsCodesView(APIView):
    @extend_schema(
        request=SmsCodeInput, responses={202: inline_serializer("SmsCodeSent", {})}, tags=["identity"]
    )
    def post(self, request):
        data = validated(SmsCodeInput, request.data)
        identity.request_sms_code(user_id=request.user.id, **data)
        return Response({}, status=status.HTTP_202_ACCEPTED)


class MePhoneView(APIView):
    @extend_schema(request=BindPhoneInput, responses={200: UserSerializer}, tags=["identity"])
    def post(self, request):
        data = validated(BindPhoneInput, request.data)
        user = identity.bind_phone(user_id=request.user.id, **data)
        return Response(user.as_dict())
