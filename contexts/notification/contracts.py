"""Published language of notification.

It reacts to ordering's events (payloads documented in ordering): OrderPaid -> "order_paid",
OrderCompleted -> "order_completed", OrderRefunded -> "order_refunded",
OrderReminderRequested -> "order_reminder", each to the order's customer.

A notification's payload holds plain values: order_id, order_no, store_name, and for the
order templates total_fen; order_paid adds sequence_no (None outside a solitaire),
order_completed completed_by, order_refunded reason.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryOutcome:
    tried: int
    sent: int
