"""Ordering reacts to no other context's events (yet): it only publishes OrderPaid,
OrderCancelled and OrderExpired (see contracts.py)."""
