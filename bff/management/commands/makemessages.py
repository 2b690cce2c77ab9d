"""Django's makemessages, also collecting the domain's texts: `domain/` and `services.py` import
no Django and mark their messages with N_() (contexts.shared.domain.text), translated at the edge.

    python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=staticfiles
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
