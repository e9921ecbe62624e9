import pytest
from django.core.management import CommandError, call_command

from cax.core.models import ChangeLog


def test_set_password_generates_a_working_password_and_logs_it(cast, capsys):
    call_command("set_password", cast.commune_officer.username, "--generate")
    password = capsys.readouterr().out.strip()
    cast.commune_officer.refresh_from_db()
    assert cast.commune_officer.check_password(password)
    entry = ChangeLog.objects.filter(object_type="accounts.user", object_id=str(cast.commune_officer.pk)).first()
    assert entry is not None
    assert "mật khẩu" in entry.message.lower()
    assert "password" not in (entry.after or {})


def test_set_password_for_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("set_password", "nobody", "--generate")
