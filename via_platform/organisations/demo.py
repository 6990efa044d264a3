"""Demo organisations: the Werkagenda VIA partners, gemeenten, employers and others."""

from __future__ import annotations

from via_platform.organisations.models import Organisation, OrganisationKind

# The parties behind the Werkagenda VIA (Verdere Integratie op de Arbeidsmarkt).
WERKAGENDA_PARTNERS: list[tuple[str, str]] = [
    ("Ministerie van Sociale Zaken en Werkgelegenheid (SZW)", ""),
    ("Ministerie van Onderwijs, Cultuur en Wetenschap (OCW)", ""),
    ("Algemene Bond Uitzendondernemingen (ABU)", ""),
    ("Algemene Werkgeversvereniging Nederland (AWVN)", ""),
    ("CNV Jongeren", ""),
    ("Divosa", ""),
    ("FNV", ""),
    ("G4", ""),
    ("G40-stedennetwerk", ""),
    ("MBO Raad", ""),
    ("Nederlandse Bond van Bemiddelings- en Uitzendondernemingen (NBBU)", ""),
    ("Randstad Groep Nederland", ""),
    ("SAM, beroepsvereniging voor uitvoerend professionals in het publiek sociaal domein", ""),
    ("Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)", ""),
    ("Sociaal-Economische Raad (SER)", ""),
    ("Stichting voor Vluchteling-Studenten UAF", ""),
    ("Uitvoeringsinstituut Werknemersverzekeringen (UWV)", ""),
    ("Vereniging Hogescholen (VH)", ""),
    ("Vereniging van Nederlandse Gemeenten (VNG)", ""),
    ("VNO-NCW en MKB-Nederland", ""),
    ("VluchtelingenWerk Nederland", ""),
    ("Movisie", "Kennisinstituut; ontwikkelde de training voor klantmanagers"),
]

# (name, kind, city, description)
OTHER_ORGANISATIONS: list[tuple[str, str, str, str]] = [
    ("Gemeente Rotterdam", OrganisationKind.GEMEENTE, "Rotterdam", ""),
    ("Gemeente Utrecht", OrganisationKind.GEMEENTE, "Utrecht", ""),
    ("Gemeente Amsterdam", OrganisationKind.GEMEENTE, "Amsterdam", ""),
    ("Gemeente Zwolle", OrganisationKind.GEMEENTE, "Zwolle", ""),
    ("Gemeente Tilburg", OrganisationKind.GEMEENTE, "Tilburg", ""),
    ("Gemeente Groningen", OrganisationKind.GEMEENTE, "Groningen", ""),
    (
        "Installatiebedrijf Van Dijk",
        OrganisationKind.WERKGEVER,
        "Zwolle",
        "Mkb-werkgever in de techniek: elektrotechniek en installatie.",
    ),
    ("Zorggroep De Linde", OrganisationKind.WERKGEVER, "Utrecht", "Ouderenzorg en thuiszorg."),
    (
        "Logistiek Centrum Waalhaven",
        OrganisationKind.WERKGEVER,
        "Rotterdam",
        "Opslag en distributie in de haven.",
    ),
    ("Bakkerij Yilmaz & Zn.", OrganisationKind.WERKGEVER, "Tilburg", "Ambachtelijke bakkerij."),
    ("ROC Midden Nederland", OrganisationKind.ONDERWIJS, "Utrecht", ""),
    ("Diversiteit in Bedrijf", OrganisationKind.MAATSCHAPPELIJK, "", ""),
    ("Kennisplatform Inclusief Samenleven (KIS)", OrganisationKind.MAATSCHAPPELIJK, "", ""),
]


def _seed(name: str, kind: str, city: str = "", description: str = "") -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name__iexact=name,
        defaults={
            "name": name,
            "kind": kind,
            "city": city,
            "description": description,
            "approved": True,
        },
    )
    return organisation


def seed_organisations() -> dict[str, Organisation]:
    """The demo organisations by name; running it again changes nothing."""
    seeded = {
        name: _seed(name, OrganisationKind.PARTNER, description=description)
        for name, description in WERKAGENDA_PARTNERS
    }
    seeded.update({row[0]: _seed(*row) for row in OTHER_ORGANISATIONS})
    return seeded
