"""Staff's use cases with their adapters bound by parameter name; the bff and tasks call these."""

from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind
from contexts.staff import services
from contexts.staff.adapters.clients import IdentityPhoneBook
from contexts.staff.adapters.orm import DjangoStaffUow

globals().update(bind(services, uow=DjangoStaffUow, phone_book=IdentityPhoneBook, clock=DjangoClock))
