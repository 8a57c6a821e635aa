"""Profile photos: accept only real images, strip what they carry, keep a small thumbnail."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def make_thumbnail(upload) -> ContentFile:
    """Return the upload as a JPEG thumbnail without EXIF, or raise ValidationError naming the rule."""
    if upload.size > settings.PROFILE_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("This photo is %(size)s; the limit is %(limit)s. Please choose a smaller file.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PROFILE_PHOTO_MAX_BYTES),
            },
            code="photo_too_large",
        )
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its pixel limit: treat that as the bomb it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                probe.verify()
            if width * height > settings.PROFILE_PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG, GIF or WebP image."), code="photo_format")
            with Image.open(io.BytesIO(data)) as image:
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail(settings.PROFILE_PHOTO_SIZE)
                out = io.BytesIO()
                # A fresh save without exif= drops EXIF (GPS position, camera serial…).
                image.save(out, format="JPEG", quality=85, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("This image is too large to process safely: at most %(limit)s megapixels.")
                % {"limit": settings.PROFILE_PHOTO_MAX_PIXELS // 1_000_000},
                code="photo_bomb",
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP photo."),
                code="photo_not_image",
            ) from exc
    return ContentFile(out.getvalue(), name="photo.jpg")
