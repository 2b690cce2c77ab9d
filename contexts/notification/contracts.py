"""Published language of notification.

It reacts to ordering's events (payloads documented in ordering): OrderPaid -> "order_paid",
OrderCompleted -> "order_completed", OrderRefunded -> "order_refunded",
OrderReminderRequested -> "order_reminder", each to the order's customer; and to
merchant_account's SettlementCompleted -> "settlement_completed", to the merchant's user.

A notification's payload holds plain values: order_id, order_no, store_name, and for the
order templates total_fen; order_paid adds sequence_no (None outside a solitaire),
order_completed completed_by, order_refunded reason. settlement_completed's payload:
settlement_id, kind, order_count, net_fen.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryOutcome:
    tried: int
    sent: int
