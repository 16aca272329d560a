"""Remove the placeholder picture that earlier fixtures and imports stood in for the
photographs the sources credit but do not include (``photo-not-in-source.png``).

The site no longer shows a picture it does not have: a credit line is kept in its image
block, with no image, until the real photograph is attached. Running ``load_content``
(or importing the documents again) afterwards puts the credit lines back in the blocks
that pointed at a placeholder.
"""

from django.db import migrations


def remove_placeholders(apps, schema_editor):
    CustomImage = apps.get_model("core", "CustomImage")
    for image in CustomImage.objects.filter(file__contains="photo-not-in-source"):
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)
        image.delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(remove_placeholders, migrations.RunPython.noop)]
