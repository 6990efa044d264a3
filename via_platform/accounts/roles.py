"""Site roles as Django groups with Wagtail permissions, kept in place after migrations.

beheerder: runs the site (pages, menu, organisations, users, media); reads the audit log.
redacteur: edits and publishes pages, manages organisations and media; reads the audit log.
coordinator: reaches the Wagtail admin; the communities app grants page permissions
on each community's own subtree.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

BEHEERDERS = "Beheerders"
REDACTEUREN = "Redacteuren"
COORDINATOREN = "Coördinatoren"

MEDIA = [
    f"{app}.{action}_{model}"
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
    for action in ("add", "change", "choose", "delete")
]
ORGANISATIONS = [f"organisations.{a}_organisation" for a in ("add", "change", "delete", "view")]

# group -> (model permissions, page permissions on the whole tree)
SITE_ROLES: dict[str, tuple[list[str], list[str]]] = {
    BEHEERDERS: (
        [
            "wagtailadmin.access_admin",
            "cms.change_navigationsettings",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.view_auditevent",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            *MEDIA,
            *ORGANISATIONS,
        ],
        ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    ),
    REDACTEUREN: (
        ["wagtailadmin.access_admin", "accounts.view_auditevent", *MEDIA, *ORGANISATIONS],
        ["add_page", "change_page", "publish_page"],
    ),
    COORDINATOREN: (
        ["wagtailadmin.access_admin", "wagtailimages.choose_image", "wagtaildocs.choose_document"],
        [],
    ),
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_site_roles(**_kwargs) -> None:
    """Create or complete the role groups. Runs after every app's migrations; does
    its work once every permission it needs exists."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    wanted = {name: [_permission(p) for p in perms] for name, (perms, _pages) in SITE_ROLES.items()}
    root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
    page_perms = {
        codename: _permission(f"wagtailcore.{codename}")
        for _perms, pages in SITE_ROLES.values()
        for codename in pages
    }
    if any(p is None for perms in wanted.values() for p in perms) or None in page_perms.values():
        return  # a later app's post_migrate call will finish the job
    if root_page is None or root_collection is None:
        return
    for name, (_perms, pages) in SITE_ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        collection_perms = [
            p for p in wanted[name] if p.content_type.app_label in ("wagtailimages", "wagtaildocs")
        ]
        group.permissions.add(*[p for p in wanted[name] if p not in collection_perms])
        for permission in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        for codename in pages:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=page_perms[codename]
            )
