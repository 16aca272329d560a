from django.db import migrations

# The site's navigation reads the home page's children shown in menus
# (HomePage.menu_pages): Wagtail's tree asks for them by depth and a range of paths,
# and that range covers every page below the home page, so without an index the whole
# page table is read (22 ms at 50,000 stories). This partial index holds only the pages
# shown in menus, by depth and path.
INDEX = "home_menu_pages_depth_path"


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0002_homepage_site_translations'),
        ('wagtailcore', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON wagtailcore_page (depth, path) WHERE show_in_menus",
            f"DROP INDEX {INDEX}",
        ),
    ]
