"""The SSO's tables: users, their roles, and server-side sessions."""
from shared.clock import utcnow
from shared.db import make_db
from shared.outbox import Outbox

db = make_db()


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    display_name = db.Column(db.String(255), nullable=False)
    position = db.Column(db.String(255))
    phone = db.Column(db.String(32))
    email = db.Column(db.String(255))
    province_code = db.Column(db.String(2), index=True)
    district_code = db.Column(db.String(4))
    disabled = db.Column(db.Boolean, nullable=False, default=False)
    # The lockout's, unused since migration 0004 (sso.throttle); dropped once no running version reads them.
    failed_logins = db.Column(db.Integer, nullable=False, default=0)
    locked_until = db.Column(db.DateTime)
    last_login_at = db.Column(db.DateTime)
    # Set by an SSO admin's password reset: the temporary password only opens the change-password page.
    must_change_password = db.Column(db.Boolean, nullable=False, default=False)
    temporary_until = db.Column(db.DateTime)  # when a temporary password stops opening anything
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    role_rows = db.relationship("UserRole", cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.role_rows)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role = db.Column(db.String(16), primary_key=True)


class LoginThrottle(db.Model):
    """Wrong passwords of one account from one address, or of any account from one address (sso.throttle)."""
    __tablename__ = "login_throttles"

    key = db.Column(db.String(200), primary_key=True)
    failures = db.Column(db.Integer, nullable=False)
    last_failure_at = db.Column(db.DateTime, nullable=False, index=True)
    not_before = db.Column(db.DateTime, nullable=False)


class Session(db.Model):
    __tablename__ = "sessions"

    id = db.Column(db.String(64), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    via = db.Column(db.String(8), nullable=False)  # "cookie" (browser login) or "bearer" (API token)
    created_at = db.Column(db.DateTime, nullable=False)
    last_seen_at = db.Column(db.DateTime, nullable=False)
    expires_at = db.Column(db.DateTime, nullable=False)
    ended_at = db.Column(db.DateTime)
    end_reason = db.Column(db.String(16))  # logout, idle, disabled, ...


class AdminAction(db.Model):
    """One act of an SSO admin or the central office on a user: who, on whom, what, when."""
    __tablename__ = "admin_actions"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor = db.Column(db.String(64), nullable=False)
    target = db.Column(db.String(64), nullable=False)
    # The target's province when the act happened: the log a province's SSO admin reads.
    province_code = db.Column(db.String(2), index=True)
    action = db.Column(db.String(32), nullable=False)
    detail = db.Column(db.String(500), nullable=False, default="")


# Events for the portal's notifications (a password set by an admin), written in the transaction of the act
# (shared.outbox); `flask --app sso relay` hands them over.
outbox = Outbox(db, "sso")
