"""Verification codes through Tencent Cloud SMS (SendSms, API 2021-01-11), with Tencent's own
SDK: it signs each call with TC3-HMAC-SHA256 and reads Tencent's error answers."""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from contexts.integration.ports import SmsSender
from contexts.shared.domain.errors import UpstreamFailed
from contexts.shared.domain.text import N_

log = logging.getLogger(__name__)

MAINLAND_PREFIX = "+86"


@dataclass(frozen=True)
class TencentSmsConfig:
    secret_id: str
    secret_key: str
    sdk_app_id: str
    sign_name: str
    template_ids: dict  # {purpose: template id}: each template takes the code as its one parameter
    region: str = "ap-guangzhou"
    endpoint: str = "https://sms.tencentcloudapi.com"
    timeout_seconds: int = 5


class SmsFailed(UpstreamFailed):
    code = "sms_failed"
    default_detail = N_("The text message could not be sent; try again later.")


class TencentSmsSender(SmsSender):
    def __init__(self, config: TencentSmsConfig) -> None:
        self._config = config

    def send_code(self, phone: str, purpose: str, code: str) -> None:
        config = self._config
        template_id = config.template_ids.get(purpose)
        if not template_id:
            log.error("No Tencent Cloud SMS template for %s", purpose)
            raise SmsFailed()
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [MAINLAND_PREFIX + phone]
        request.SmsSdkAppId = config.sdk_app_id
        request.SignName = config.sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = [code]
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            # The code names the cause (AuthFailure.SignatureFailure, FailedOperation.…); the
            # message may quote the request, so it is not logged.
            log.warning("Tencent Cloud SMS refused SendSms: %s", exc.get_code())
            raise SmsFailed() from None
        statuses = response.SendStatusSet or []
        status = statuses[0].Code if statuses else "NoStatus"
        if status != "Ok":
            # Per number: LimitExceeded.PhoneNumberDailyLimit, InvalidParameterValue.IncorrectPhoneNumber …
            log.warning("Tencent Cloud SMS did not send to a number: %s", status)
            raise SmsFailed()

    def _client(self) -> sms_client.SmsClient:
        config = self._config
        endpoint = urlsplit(config.endpoint)
        http = HttpProfile(
            protocol=endpoint.scheme or "https",
            endpoint=endpoint.netloc or endpoint.path,
            reqTimeout=config.timeout_seconds,
        )
        return sms_client.SmsClient(
            credential.Credential(config.secret_id, config.secret_key),
            config.region,
            ClientProfile(httpProfile=http),
        )
