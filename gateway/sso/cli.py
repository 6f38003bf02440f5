"""Commands of the SSO app: `flask --app sso <command>`."""
import click
from flask import Flask
from sqlalchemy import select

from sso import domain, keys, services
from sso.demo import load_demo_users
from sso.models import User, db
from sso.services import create_user, hasher


def register(app: Flask) -> None:
    @app.cli.command("create-central-user")
    @click.argument("username")
    @click.option("--name", required=True, help="ชื่อที่แสดง เช่น ชื่อ-สกุล หรือหน่วยงาน")
    @click.password_option(help="at least 10 characters; asked for twice when not given")
    def create_central_user(username: str, name: str, password: str):
        """Create a central-office user (the first user of a new installation)."""
        if db.session.scalar(select(User.id).where(User.username == username)):
            raise click.ClickException(f"user {username} already exists")
        problem = domain.password_problem(password, username)
        if problem:
            raise click.ClickException(problem)
        create_user(username, hasher.hash(password), name, ["central"])
        db.session.commit()
        click.echo(f"created central user {username}")

    @app.cli.command("rotate-keys")
    def rotate_keys():
        """Sign new tokens with the next key, publish a new next one, keep the previous one published: nobody is
        logged out (a token lives until it expires, 12 hours; rotate at most twice a day)."""
        try:
            click.echo(f"signing with {keys.rotate(app.config['SSO_KEY_DIR'])}")
        except keys.NotPublishedYet as pending:
            raise click.ClickException(str(pending)) from None

    @app.cli.command("purge")
    @click.option("--days", default=30, show_default=True, help="keep ended sessions this many days (for support)")
    def purge(days: int):
        """Delete sessions that ended or expired more than --days ago, and wrong-password counts nobody needs."""
        sessions, counts = services.purge(days)
        click.echo(f"purged {sessions} sessions, {counts} wrong-password counts")

    @app.cli.command("load-demo")
    def load_demo():
        """Load the demo users when the user table is empty."""
        click.echo(f"demo users added: {load_demo_users()}")
