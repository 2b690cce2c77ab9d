from django.urls import include, path

from bff import cart as cart_views
from bff import customers as customer_views
from bff import export as export_views
from bff import franchise as franchise_views
from bff import goods as goods_views
from bff import identity, operations, sandbox
from bff import merchant as merchant_views
from bff import orders as order_views
from bff import payments as payment_views
from bff import resales as resale_views
from bff import solitaires as solitaire_views
from bff import staff as staff_views
from bff import stores as store_views

urlpatterns = [
    # First: Django tries the patterns in order, and joining a solitaire is the hottest request.
    path("orders", order_views.OrdersView.as_view(), name="orders"),
    path("health", operations.HealthView.as_view(), name="health"),
    path("auth/wechat-login", identity.WeChatLoginView.as_view(), name="wechat-login"),
    path("auth/logout", identity.LogoutView.as_view(), name="logout"),
    path("auth/sms-codes", identity.SmsCodesView.as_view(), name="sms-codes"),
    path("me", identity.MeView.as_view(), name="me"),
    path("me/phone", identity.MePhoneView.as_view(), name="me-phone"),
    path("sandbox/sms", sandbox.SandboxSmsView.as_view(), name="sandbox-sms"),
    path("stores", store_views.StoresView.as_view(), name="stores"),
    path("stores/<str:store_id>", store_views.StoreDetailView.as_view(), name="store-detail"),
    path("stores/<str:store_id>/pickup-points", store_views.PickupPointsView.as_view(), name="pickup-points"),
    path("stores/<str:store_id>/staff", staff_views.StaffView.as_view(), name="staff"),
    path(
        "stores/<str:store_id>/staff/<str:user_id>",
        staff_views.StaffMemberView.as_view(),
        name="staff-member",
    ),
    path("stores/<str:store_id>/categories", goods_views.StoreCategoriesView.as_view(), name="categories"),
    path("stores/<str:store_id>/hot-words", goods_views.StoreHotWordsView.as_view(), name="hot-words"),
    path("stores/<str:store_id>/goods", goods_views.StoreGoodsView.as_view(), name="store-goods"),
    path("goods/<str:goods_id>", goods_views.GoodsDetailView.as_view(), name="goods-detail"),
    path("merchant/account", merchant_views.MerchantAccountView.as_view(), name="merchant-account"),
    path("stores/<str:store_id>/franchise", franchise_views.FranchiseView.as_view(), name="franchise"),
    path(
        "stores/<str:store_id>/solitaires",
        solitaire_views.StoreSolitairesView.as_view(),
        name="store-solitaires",
    ),
    path("solitaires", solitaire_views.SolitairesView.as_view(), name="solitaires"),
    path(
        "solitaires/<str:solitaire_id>",
        solitaire_views.SolitaireDetailView.as_view(),
        name="solitaire-detail",
    ),
    path(
        "solitaires/<str:solitaire_id>/publish",
        solitaire_views.SolitairePublishView.as_view(),
        name="solitaire-publish",
    ),
    path(
        "solitaires/<str:solitaire_id>/close",
        solitaire_views.SolitaireCloseView.as_view(),
        name="solitaire-close",
    ),
    path(
        "solitaires/<str:solitaire_id>/participations",
        solitaire_views.SolitaireParticipationsView.as_view(),
        name="solitaire-participations",
    ),
]

urlpatterns += [
    path("cart", cart_views.CartView.as_view(), name="cart"),
    path("cart/lines", cart_views.CartLinesView.as_view(), name="cart-lines"),
    path("cart/lines/<str:line_id>", cart_views.CartLineView.as_view(), name="cart-line"),
    path("orders/<str:order_id>", order_views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:order_id>/pay", order_views.PayOrderView.as_view(), name="order-pay"),
    path("orders/<str:order_id>/cancel", order_views.CancelOrderView.as_view(), name="order-cancel"),
    # Before any "stores/<id>/orders/<...>" pattern, which would shadow it.
    path(
        "stores/<str:store_id>/orders/export",
        export_views.StoreOrdersExportView.as_view(),
        name="store-orders-export",
    ),
    path("stores/<str:store_id>/orders", order_views.StoreOrdersView.as_view(), name="store-orders"),
    path("payments/notify", payment_views.PaymentNotifyView.as_view(), name="payments-notify"),
    path(
        "sandbox/payments/<str:payment_id>/succeed",
        sandbox.SandboxPaymentSucceedView.as_view(),
        name="sandbox-payment-succeed",
    ),
]

urlpatterns += [
    path(
        "stores/<str:store_id>/customers",
        customer_views.StoreCustomersView.as_view(),
        name="store-customers",
    ),
    path(
        "stores/<str:store_id>/customers/<str:customer_id>",
        customer_views.StoreCustomerView.as_view(),
        name="store-customer",
    ),
]

urlpatterns += [
    path(
        "stores/<str:store_id>/orders/verify-pickup",
        order_views.VerifyPickupView.as_view(),
        name="store-orders-verify-pickup",
    ),
    path(
        "orders/<str:order_id>/confirm-receipt",
        order_views.ConfirmReceiptView.as_view(),
        name="order-confirm-receipt",
    ),
    path("orders/<str:order_id>/refund", order_views.RefundOrderView.as_view(), name="order-refund"),
    path("orders/<str:order_id>/remind", order_views.RemindOrderView.as_view(), name="order-remind"),
]

urlpatterns += [
    path(
        "stores/<str:store_id>/franchise/members",
        franchise_views.FranchiseMembersView.as_view(),
        name="franchise-members",
    ),
    path(
        "stores/<str:store_id>/franchise/members/<str:member_store_id>",
        franchise_views.FranchiseMemberView.as_view(),
        name="franchise-member",
    ),
    path("stores/<str:store_id>/resales", resale_views.StoreResalesView.as_view(), name="store-resales"),
    path(
        "solitaires/<str:solitaire_id>/resales",
        resale_views.SolitaireResalesView.as_view(),
        name="solitaire-resales",
    ),
]

urlpatterns += [
    path("merchant/account/entries", merchant_views.MerchantEntriesView.as_view(), name="merchant-entries"),
    path(
        "merchant/settlements",
        merchant_views.MerchantSettlementsView.as_view(),
        name="merchant-settlements",
    ),
    path(
        "merchant/settlements/<str:settlement_id>",
        merchant_views.MerchantSettlementView.as_view(),
        name="merchant-settlement",
    ),
]

app_urls = [path("api/v1/", include(urlpatterns))]
