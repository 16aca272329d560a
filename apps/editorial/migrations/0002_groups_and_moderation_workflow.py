"""The editorial groups and the "Moderation" workflow, in every database.

- Editors: create and edit pages (news, reports, topics…), people, images and
  documents; submit for moderation. They cannot publish.
- Translators: edit any page (the edit form then offers only translated fields),
  translate people, images and documents. They cannot publish or delete.
- Moderators: approve, publish, unpublish and schedule.

Image permissions are Wagtail's own (``wagtailimages.*_image``): Wagtail checks
them for the custom image model too. Wagtail's own initial data already has "Editors" and "Moderators" groups and a
"Moderators approval" workflow on the root page; this migration completes the
groups, adds Translators, and turns that workflow into "Moderation", which
``load_content`` attaches to the news and report sections.
"""

from django.db import migrations

WORKFLOW = "Moderation"
TASK = "Moderators approval"

GROUP_PERMISSIONS = {
    "Editors": [
        ("wagtailadmin", "admin", "access_admin"),
        ("people", "person", "add_person"),
        ("people", "person", "change_person"),
        ("people", "person", "delete_person"),
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
    "Translators": [
        ("wagtailadmin", "admin", "access_admin"),
        ("people", "person", "change_person"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
    "Moderators": [
        ("wagtailadmin", "admin", "access_admin"),
        ("people", "person", "add_person"),
        ("people", "person", "change_person"),
        ("people", "person", "delete_person"),
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtailimages", "image", "delete_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
        ("wagtaildocs", "document", "delete_document"),
    ],
}
PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page"],
    "Translators": ["change_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()

    groups = {}
    for name, permissions in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        for app_label, model, codename in permissions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename=codename,
                )
            )
        for codename in PAGE_PERMISSIONS[name]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    ModerationTask = apps.get_model("editorial", "ModerationTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    workflow = (
        Workflow.objects.filter(name=WORKFLOW).first()
        or Workflow.objects.filter(name="Moderators approval").first()
        or Workflow(name=WORKFLOW)
    )
    workflow.name = WORKFLOW
    workflow.active = True
    workflow.save()
    # Wagtail's stock approval task is replaced by one that lets translators work on
    # a page while it waits for a moderator (apps.editorial.models.ModerationTask).
    old_tasks = Task.objects.filter(workflow_tasks__workflow=workflow)
    old_tasks.update(active=False)
    WorkflowTask.objects.filter(workflow=workflow).delete()
    task_type, _ = ContentType.objects.get_or_create(app_label="editorial", model="moderationtask")
    task = ModerationTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([groups["Moderators"]])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # The workflow covers the sections load_content attaches it to, not the whole tree.
    WorkflowPage.objects.filter(workflow=workflow, page=root).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("people", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
