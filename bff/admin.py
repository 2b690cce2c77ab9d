from django.contrib import admin
from django.contrib.admin.models import LogEntry

from bff.backoffice.history import AdminHistoryAdmin

admin.site.register(LogEntry, AdminHistoryAdmin)
