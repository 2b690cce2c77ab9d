"""The models and their migrations agree: a change to a model (a field, a verbose name, a
choice) that no migration records would be made by the next `makemigrations` on someone's
machine, in no commit."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db  # makemigrations reads the applied migrations to check their history
def test_every_model_change_is_recorded_in_a_migration():
    # when makemigrations checks every app; then it finds nothing to write (it exits non-zero otherwise)
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
