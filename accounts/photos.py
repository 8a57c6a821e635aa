"""Uploaded images (profile photos, event banners): accept only real images, strip what they carry,
keep a JPEG shrunk to fit a box."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Phone cameras' multi-picture JPEGs (MPO) open through the JPEG decoder too.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
Image.init()  # registers every plugin, so that formats= can name WebP

# What a refusal says, by its code; a photo is called a photo.
IMAGE_REFUSALS = {
    "too_large": _("This image is %(size)s; the limit is %(limit)s. Please choose a smaller file."),
    "bomb": _("This image is too large to process safely: at most %(limit)s megapixels."),
    "not_image": _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP image."),
}
PHOTO_REFUSALS = {
    **IMAGE_REFUSALS,
    "too_large": _("This photo is %(size)s; the limit is %(limit)s. Please choose a smaller file."),
    "not_image": _("This file is not an image we can read. Please upload a JPEG, PNG, GIF or WebP photo."),
}


def make_thumbnail(upload) -> ContentFile:
    """The profile photo as a JPEG thumbnail without EXIF, or a ValidationError naming the rule."""
    return shrink_to_jpeg(
        upload, box=settings.PROFILE_PHOTO_SIZE, max_bytes=settings.PROFILE_PHOTO_MAX_BYTES,
        max_pixels=settings.PROFILE_PHOTO_MAX_PIXELS, name="photo.jpg", refusals=PHOTO_REFUSALS,
    )  # fmt: skip


def shrink_to_jpeg(
    upload, *, box: tuple[int, int], max_bytes: int, max_pixels: int, name: str,
    refusals: dict = IMAGE_REFUSALS, progressive: bool = False,
) -> ContentFile:  # fmt: skip
    """Return the upload shrunk to fit `box` (never enlarged), as a JPEG without EXIF, or raise
    ValidationError (code too_large, bomb or not_image) naming the rule it breaks."""
    if upload.size > max_bytes:
        limits = {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        raise ValidationError(refusals["too_large"] % limits, code="too_large")
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its pixel limit: treat that as the bomb it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # formats=: no other decoder (EPS, PSD…) ever touches what a stranger uploads.
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                width, height = probe.size
                probe.verify()
            if width * height > max_pixels:
                raise Image.DecompressionBombError(f"{width}x{height}")
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                image = _on_white(ImageOps.exif_transpose(image))
                image.thumbnail(box)
                out = io.BytesIO()
                # A fresh save without exif= drops EXIF (GPS position, camera serial…).
                image.save(out, format="JPEG", quality=85, optimize=True, progressive=progressive)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(refusals["bomb"] % {"limit": max_pixels // 1_000_000}, code="bomb") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(refusals["not_image"], code="not_image") from exc
    return ContentFile(out.getvalue(), name=name)


def _on_white(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: show what was transparent as white, not as the hidden colour."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
