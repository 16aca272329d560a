from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the development superuser (development settings only) and say how to sign in."

    def handle(self, *args, **options):
        account = getattr(settings, "DEV_SUPERUSER", None)
        if not settings.DEBUG or not account:
            raise CommandError(
                "ensure_dev_superuser runs only with the development settings "
                "(DEBUG on and DEV_SUPERUSER defined); use createsuperuser elsewhere."
            )
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=account["username"],
            defaults={"email": account["email"], "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(account["password"])
            user.save()
            self.stdout.write(f"Created the development superuser {user.username!r}.")
        self.stdout.write(
            f"Sign in to the admin as {account['username']!r} with password "
            f"{account['password']!r} (DEV_SUPERUSER_USERNAME / DEV_SUPERUSER_PASSWORD)."
            if created or user.check_password(account["password"])
            else f"Sign in to the admin as {user.username!r} with the password you set."
        )
