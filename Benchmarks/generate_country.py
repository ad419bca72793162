#!/usr/bin/env python3
"""Deterministic synthetic Sweden for benchmarking `infra`.

    python3 Benchmarks/generate_country.py OUTDIR [--seed N] [--scale F] [--orgs N]
    python3 Benchmarks/generate_country.py OUTDIR --single-kommun ITEMS [--seed N]

Writes one inventory file per organisation: the 290 real municipalities
(inventory/sweden/municipalities.csv), the 21 regions (regions.csv) and 340
synthetic state agencies ("Myndighet 001" ... id myndighet-001), 651 files in
all. Item counts follow population: ~150 items for the smallest municipality,
~3,000 for Stockholm, ~385 per organisation on average at scale 1 (about
250,000 items and 750,000 references). --scale F multiplies every
organisation's item count by F.

Everything validates clean except the problems planted on purpose, which are
listed (with every instance) in OUTDIR/PLANTED.json and summed up on stderr.
See Benchmarks/README.md for the rates.

--single-kommun ITEMS writes one municipality file of exactly ITEMS items with
no region references and nothing planted (it references only its own items
and the national components), for single-file latency measurements.

Only the Python 3 standard library is used; the YAML is written as text.
"""

import argparse
import csv
import json
import math
import os
import random
import re
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INVENTORY = os.path.join(ROOT, "inventory")

N_AGENCIES = 340

# ── rates of planted problems (see README.md) ─────────────────────────────────
RATE_DANGLING = 0.001        # per written reference: one extra reference to nothing
RATE_CYCLE = 0.06            # per organisation: one ring of 2–5 soft items
RATE_UNGROUNDED = 0.10       # per organisation: one service with no path to hard
RATE_GAUGE = 0.08            # per organisation: one dependency across a standard family
RATE_DUP_UNIQUE = 0.03       # per organisation: a second active item of a unique capability
RATE_GAP_EARCHIVE = 0.05     # per kommun: no e-archive at all
RATE_GAP_ALARM = 0.02        # per kommun: no digital safety alarms
RATE_GAP_ESIGN = 0.03        # per myndighet: no e-signature
# Same product run separately by many municipalities (consolidation candidates):
# (group key, capability, number of kommuner, product spellings, vendor spellings).
SHARED_PRODUCTS = [
    ("lifecare", "social-care-records", 60,
     ["Lifecare", "LifeCare", "lifecare", " Lifecare", "Lifecare ", "LIFECARE"],
     ["Tietoevry", "Tietoevry AB", "TietoEVRY", "tietoevry ab", "Tietoevry  AB", " Tietoevry AB "]),
    ("treserva", "social-care-records", 45,
     ["Treserva", "treserva", "TRESERVA", " Treserva "],
     ["CGI Sverige", "CGI Sverige AB", "cgi sverige ab", "CGI  Sverige AB"]),
    ("combine", "social-care-records", 35,
     ["Combine", "combine", "COMBINE"],
     ["Pulsen Omsorg", "Pulsen Omsorg AB", "pulsen omsorg ab"]),
    ("unikum", "school-platform", 50,
     ["Unikum", "unikum", "UNIKUM", " Unikum"],
     ["Unikum Datorsystem", "Unikum Datorsystem AB", "unikum datorsystem ab"]),
]


# ── reading the shipped reference data ─────────────────────────────────────────
def slugify(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def read_capabilities():
    caps = {}
    cur = None
    with open(os.path.join(INVENTORY, "capabilities.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*-\s+id:\s*(\S+)", line)
            if m:
                cur = unquote(m.group(1))
                caps[cur] = {"layer": None, "unique": False}
                continue
            m = re.match(r"\s+(layer|unique):\s*(\S+)", line)
            if m and cur:
                caps[cur][m.group(1)] = m.group(2) == "true" if m.group(1) == "unique" else m.group(2)
    return caps


def read_standards():
    ids = set()
    with open(os.path.join(INVENTORY, "standards.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*-\s+id:\s*(\S+)", line)
            if m:
                ids.add(unquote(m.group(1)))
    return ids


def read_national():
    """org id -> {item id: capability} for inventory/national/*.yaml (line-based)."""
    national = {}
    d = os.path.join(INVENTORY, "national")
    for name in sorted(os.listdir(d)):
        if not name.endswith((".yaml", ".yml")):
            continue
        org, section, items, cur = None, None, {}, None
        with open(os.path.join(d, name), encoding="utf-8") as f:
            for line in f:
                if re.match(r"[A-Za-z_]", line):
                    section = line.split(":")[0].strip()
                    continue
                if section == "organisation":
                    m = re.match(r"  id:\s*(\S+)", line)
                    if m:
                        org = unquote(m.group(1))
                elif section in ("services", "soft", "hard"):
                    m = re.match(r"  - id:\s*(.+?)\s*$", line)
                    if m:
                        cur = unquote(m.group(1))
                        items[cur] = {"capability": None, "layer": section, "status": "active"}
                        continue
                    m = re.match(r"    (capability|status):\s*(\S+)", line)
                    if m and cur:
                        items[cur][m.group(1)] = unquote(m.group(2))
        if org:
            national[org] = items
    return national


def read_sweden():
    with open(os.path.join(INVENTORY, "sweden", "municipalities.csv"), encoding="utf-8") as f:
        munis = list(csv.DictReader(f))
    with open(os.path.join(INVENTORY, "sweden", "regions.csv"), encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    return munis, regions


# ── YAML text ──────────────────────────────────────────────────────────────────
_PLAIN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 (),./&+–-]*[A-Za-zÀ-ÿ0-9)]|[A-Za-zÀ-ÿ]")
_SLUG = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def q(s):
    """A scalar as plain YAML when that is unambiguous, otherwise double-quoted."""
    if _PLAIN.fullmatch(s) and s.lower() not in _RESERVED and "  " not in s:
        return s
    return json.dumps(s, ensure_ascii=False)


# ── vocabulary of synthetic names ─────────────────────────────────────────────
E_SERVICE_TOPICS = [
    ("forskoleplats", "Ansökan om förskoleplats"), ("fritidshem", "Ansökan om fritidshem"),
    ("skolskjuts", "Ansökan om skolskjuts"), ("ekonomiskt-bistand", "Ansökan om ekonomiskt bistånd"),
    ("bygglov", "Ansökan om bygglov"), ("strandskydd", "Ansökan om strandskyddsdispens"),
    ("serveringstillstand", "Ansökan om serveringstillstånd"), ("parkeringstillstand", "Parkeringstillstånd för rörelsehindrade"),
    ("fardtjanst", "Ansökan om färdtjänst"), ("bostadsanpassning", "Ansökan om bostadsanpassningsbidrag"),
    ("felanmalan", "Felanmälan gata och park"), ("synpunkter", "Synpunkter och klagomål"),
    ("avfall", "Ändring av avfallsabonnemang"), ("vatten", "Anmälan om vatten och avlopp"),
    ("livsmedel", "Registrering av livsmedelsanläggning"), ("hemtjanst", "Ansökan om hemtjänst"),
    ("trygghetslarm", "Ansökan om trygghetslarm"), ("kulturskola", "Anmälan till kulturskolan"),
    ("modersmal", "Ansökan om modersmålsundervisning"), ("ledighet", "Ansökan om ledighet för elev"),
    ("lokalbokning", "Bokning av lokaler"), ("gravtillstand", "Ansökan om grävtillstånd"),
    ("evenemang", "Tillstånd för evenemang"), ("tomtko", "Anmälan till tomtkön"),
    ("forsorjning", "Anmälan om försörjningsstöd"), ("medborgarforslag", "Lämna medborgarförslag"),
    ("orosanmalan", "Orosanmälan barn och unga"), ("sotning", "Ansökan om egen sotning"),
    ("energiradgivning", "Boka energirådgivning"), ("bibliotekskort", "Ansökan om bibliotekskort"),
    ("intyg", "Beställning av intyg"), ("registerutdrag", "Begäran om registerutdrag"),
    ("arkivsok", "Beställning ur arkivet"), ("faktura", "Frågor om faktura"),
    ("tillsyn", "Anmälan om tillsyn"), ("miljo", "Anmälan om miljöfarlig verksamhet"),
]
SITE_KINDS = {
    "kommun": [("skola", "skola"), ("forskola", "förskola"), ("aldreboende", "äldreboende"),
               ("kontor", "kontor"), ("bibliotek", "bibliotek"), ("idrottshall", "idrottshall")],
    "region": [("sjukhus", "sjukhus"), ("vardcentral", "vårdcentral"), ("tandvard", "folktandvård"),
               ("kontor", "kontor"), ("psykiatri", "psykiatrisk mottagning")],
    "myndighet": [("kontor", "kontor"), ("lokalkontor", "lokalkontor"), ("servicekontor", "servicekontor")],
}
VENDORS = ["Atea", "Evry", "Visma", "Microsoft", "Formpipe", "CGI", "Sogeti", "Telia", "Tele2",
           "Iver", "Advania", "Netnod", "Crowdsoft", "Open ePlatform", "Inlead", "Axiell", "Ciceron",
           "Lantmäteriet", "Sokigo", "Nexus", "Phoniro", "Tunstall", "Addsecure", "Cambio", "Cosmic"]
NOTES = [
    "Upphandlat via ramavtal, nuvarande avtal löper till och med avtalsperiodens slut.",
    "Ägs av IT-avdelningen; förvaltas gemensamt med verksamheten enligt förvaltningsmodellen.",
    "Driftas i egen regi med jour dygnet runt för samhällsviktiga delar.",
    "Ersätter tidigare lösning; migreringen av äldre data är klar.",
    "Används av flera förvaltningar. Kontaktperson finns i förvaltningsobjektets beskrivning.",
    "Leverantören ansvarar för drift och uppgraderingar enligt tjänsteavtal (SLA).",
]
TAGS = ["gdpr-pub-avtal", "samhallsviktig", "nis2", "molntjanst", "los", "kritisk-leverantor", "extern-atkomst"]


class Rng(random.Random):
    def chance(self, p):
        return self.random() < p


# ── one organisation ───────────────────────────────────────────────────────────
class Org:
    """Items of one organisation; references only go to items added before (acyclic)."""

    __slots__ = ("oid", "type", "items", "ids", "by_cap", "pool", "caps", "rng", "hubs")
    HUB_CAPS = frozenset(("datacenter", "cloud-hosting", "wan", "backup", "network-security", "dns", "mobile-network"))

    def __init__(self, oid, otype, caps, rng):
        self.oid, self.type, self.caps, self.rng = oid, otype, caps, rng
        self.items = []        # dicts
        self.ids = set()
        self.by_cap = {}       # capability -> [ids] (active, usable as targets)
        self.pool = {"services": [], "soft": [], "hard": []}
        self.hubs = []         # hard items that services and soft items run on

    def add(self, cap, base, name, deps=(), target=True, **f):
        layer = self.caps[cap]["layer"]
        if not _SLUG.fullmatch(base):
            raise ValueError(f"generator bug: item id {base!r} is not a slug")
        iid, n = base, 1
        while iid in self.ids:
            n += 1
            iid = f"{base}-{n}"
        self.ids.add(iid)
        seen, clean = set(), []
        for d in deps:
            if d and d not in seen:
                seen.add(d)
                clean.append(d)
        it = {"layer": layer, "id": iid, "name": name, "capability": cap, "deps": clean}
        it.update(f)
        self.items.append(it)
        if target and f.get("status", "active") == "active":
            self.by_cap.setdefault(cap, []).append(iid)
            self.pool[layer].append(iid)
            if cap in self.HUB_CAPS:
                self.hubs.append(iid)
        return iid

    def first(self, cap):
        lst = self.by_cap.get(cap)
        return lst[0] if lst else None

    def pick(self, cap):
        lst = self.by_cap.get(cap)
        return self.rng.choice(lst) if lst else None


class Country:
    def __init__(self, seed, scale, caps, standards, national):
        self.seed, self.scale = seed, scale
        self.caps, self.standards, self.national = caps, standards, national
        self.region_ids = {}        # county code -> (region org id, set of item ids)
        self.planted = {k: [] for k in (
            "dangling_references", "dependency_cycles", "ungrounded_items", "gauge_breaks",
            "duplicate_unique_capability", "baseline_gaps", "shared_products")}
        self.nat = self._national_refs()

    # national components, looked up by capability from inventory/national
    def _national_refs(self):
        by_cap = {}
        for org, items in self.national.items():
            for iid, info in items.items():
                if info.get("status", "active") == "active" and info.get("capability"):
                    by_cap.setdefault(info["capability"], []).append(f"{org}/{iid}")

        def want(cap, *preferred):
            have = by_cap.get(cap, [])
            chosen = [p for p in preferred if p in have]
            return chosen or have[:1]

        nat = {
            "eid-citizen": want("eid-citizen", "bankid/bankid", "freja/freja-eid", "svenska-pass/e-legitimation"),
            "eid-staff-care": want("eid-staff", "inera/siths"),
            "eid-staff-state": want("eid-staff", "forsakringskassan/efos", "inera/siths"),
            "federation": want("identity-federation", "digg/sweden-connect"),
            "school-federation": want("identity-federation", "internetstiftelsen/skolfederation"),
            "mailbox": want("digital-mailbox", "digg/mina-meddelanden"),
            "sdk": want("secure-messaging", "digg/sdk"),
            "hsa": want("directory-service", "inera/hsa"),
            "ntjp": want("integration-platform", "inera/tjansteplattform"),
            "mandates": want("authorization-mandates", "bolagsverket/mina-ombud"),
            "1177": want("patient-portal", "inera/1177"),
            "journalen": want("patient-portal", "inera/journalen"),
            "npo": want("health-information-exchange", "inera/npo"),
            "sunet": want("wan", "vetenskapsradet/sunet"),
        }
        self.national_ids = {f"{o}/{i}" for o, items in self.national.items() for i in items}
        return nat

    def n(self, key, k=None):
        lst = self.nat.get(key, [])
        return list(lst) if k is None else lst[:k]

    # ── item counts ──
    @staticmethod
    def kommun_items(pop, big):
        return 100 + (3000 - 100) * (pop / big) ** 0.65

    # ── generic bulk helpers ──
    def extra_deps(self, o, layer, k, hubs, core):
        """k references down the layers: services use any soft item, the hard hubs and the
        core services; soft items use the core soft items and the hubs. Bulk items never
        depend on other bulk items of their own layer, which keeps the graph as shallow as
        real inventories are (and blast radius concentrated on the shared core)."""
        r = o.rng
        out = []
        soft = o.pool["soft"]
        core_soft, core_serv = core
        for _ in range(k):
            x = r.random()
            if layer == "services":
                if x < 0.55 and soft:
                    out.append(r.choice(soft))
                elif x < 0.88 or not core_serv:
                    out.append(r.choice(hubs))
                else:
                    out.append(r.choice(core_serv))
            elif layer == "soft":
                if x < 0.3 and core_soft:
                    out.append(r.choice(core_soft))
                else:
                    out.append(r.choice(hubs))
            else:
                out.append(r.choice(hubs))
        return out

    def fields(self, r, p_product=0.3, org=None):
        f = {}
        if r.chance(p_product):
            v = r.choice(VENDORS)
            f["product"] = f"{v} {org.oid}-{len(org.items) + 1}"
            f["vendor"] = v
        if r.chance(0.12):
            f["notes"] = r.choice(NOTES)
        if r.chance(0.08):
            f["tags"] = r.sample(TAGS, r.randint(1, 2))
        if r.chance(0.05):
            f["sensitivity"] = r.choice(["public", "restricted"])
        if r.chance(0.04):
            f["x-owner"] = r.choice(["IT-avdelningen", "Digitaliseringsenheten", "Förvaltningen"])
        return f

    # ── organisations ──
    def build(self, spec, plan):
        """spec: dict(type, oid, name, code, county, org_number, pop, items); plan: planted flags."""
        r = Rng(f"{self.seed}:{spec['oid']}")
        o = Org(spec["oid"], spec["type"], self.caps, r)
        target = max(40, int(round(spec["items"])))
        if spec["type"] == "kommun":
            self.core_kommun(o, spec, plan)
        elif spec["type"] == "region":
            self.core_region(o, spec, plan)
        else:
            self.core_myndighet(o, spec, plan)
        self.bulk(o, spec, target, plan)
        self.plant(o, spec, plan)
        return o

    def hard_core(self, o, kind, wan_name, region=None):
        r, a = o.rng, o.add
        fiber = None
        if kind != "myndighet":
            cov = {"households": round(r.uniform(0.82, 0.995), 3), "workplaces": round(r.uniform(0.75, 0.99), 3)}
            fiber = a("fiber-network", "fibernat", "Fibernät", coverage=cov if kind == "kommun" else None)
        if kind == "kommun":
            cov = {"households": f"{r.randint(85, 99)}%", "workplaces": f"{r.randint(80, 99)}%"}
            a("broadband-access", "bredband", "Bredband till hushåll och företag", [fiber], coverage=cov)
        wan_deps = [fiber]
        if region and r.chance(0.4):
            wan_deps.append(f"{region}/regionalt-stadsnat")
        if kind == "myndighet" and r.chance(0.15):
            wan_deps += self.n("sunet")
        wan = a("wan", "wan" if kind == "myndighet" else ("regionnat" if kind == "region" else "kommunnat"),
                wan_name, wan_deps, critical=True, standards=["ipv4", "ipv6"] if "ipv6" in self.standards and r.chance(0.3) else None)
        fw = a("network-security", "brandvagg", "Brandvägg och DDoS-skydd", [wan])
        a("dns", "dns", "DNS", [wan])
        dc = a("datacenter", "datacenter" if kind != "kommun" else "serverhall",
               "Datacenter" if kind != "kommun" else "Serverhall i kommunhuset", [wan, fw], critical=True)
        if kind == "region":
            a("datacenter", "reservdatacenter", "Reservdatacenter", [wan])
        a("cloud-hosting", "molntjanst", "Leverantörsdrift (SaaS)")
        a("mobile-network", "mobilnat", "Mobilnät (operatörsavtal)")
        a("backup", "sakerhetskopiering", "Säkerhetskopiering", [o.by_cap["datacenter"][-1]])
        if kind == "kommun":
            if r.chance(0.5):
                a("tv-distribution", "tv", "TV-distribution i fibernätet", [fiber])
            if r.chance(0.3):
                a("city-network", "stadsnat", "Kommunens stadsnät", [fiber])
        if kind == "region":
            a("city-network", "regionalt-stadsnat", "Regionalt stadsnät för kommunerna i länet", [fiber, wan])
        return dc

    def soft_core(self, o, kind, plan, region=None):
        r, a, n = o.rng, o.add, self.n
        dc, cloud, backup = o.first("datacenter"), o.first("cloud-hosting"), o.first("backup")
        a("directory-service", "katalogtjanst", "Katalogtjänst", [dc], product=f"Active Directory {o.oid}", vendor="Microsoft")
        fed = a("identity-federation", "legitimering", "Inloggning med e-legitimation",
                n("eid-citizen", 2) + n("federation") + [dc], standards=["saml2"])
        if kind == "myndighet":
            a("eid-staff", "efos-kort", "EFOS e-tjänstekort för medarbetare", n("eid-staff-state", 1))
        else:
            deps = n("eid-staff-care", 1)
            if region and r.chance(0.7):
                deps = deps + [f"{region}/siths-ra"]
            a("eid-staff", "siths-kort", "SITHS e-tjänstekort för vård- och omsorgspersonal", deps)
        if kind == "region":
            a("eid-staff", "siths-ra", "SITHS-registrering för länets kommuner", n("eid-staff-care", 1) + [dc])
        if "gap:e-signature" not in plan:
            a("e-signature", "e-underskrift", "E-underskrift", [fed, dc], standards=["pades"])
        a("secure-messaging", "sakra-meddelanden", "Säker digital kommunikation (anslutning)", n("sdk"), standards=["edelivery"])
        a("digital-mailbox", "digital-post", "Digital post via Mina meddelanden", n("mailbox"))
        if "gap:e-archive" not in plan:
            a("e-archive", "e-arkiv", "E-arkiv", [dc, backup], standards=["fgs-paket"], critical=kind == "region")
        if kind == "region":
            a("integration-platform", "integrationsmotor", "Integrationsmotor", n("ntjp") + [dc], standards=["rivta"])
            a("integration", "regional-integration", "Regional integrationstjänst för kommunerna", ["integrationsmotor", dc])
            a("geodata", "regionala-kartor", "Regionala kartor och adressdata", [dc])
            a("video-conferencing", "regional-videotjanst", "Regional videotjänst", [cloud])
        elif r.chance(0.7):
            a("integration-platform", "integrationsplattform", "Integrationsplattform", [dc])
        if r.chance(0.5):
            plat = o.first("integration-platform")
            a("api-management", "api-hantering", "API-hantering", [plat or dc], standards=["openapi3"])
        a("email", "e-post", "E-post", [cloud])
        a("document-storage", "lagring", "Filserver", [dc, backup])
        if kind != "region":
            kdeps = [dc]
            if region and r.chance(0.3):
                kdeps.append(f"{region}/regionala-kartor")
            a("geodata", "kartor", "Kartor och adressdata", kdeps)
        a("e-invoice", "e-faktura", "E-faktura (leverantörsfakturor)", [cloud], standards=["peppol-bis3"])
        a("e-payment", "e-betalning", "E-betalning", [cloud])
        a("open-data", "oppna-data", "Öppna data", [cloud], standards=["dcat-ap"])
        a("authorization-mandates", "ombud", "Ombud och behörigheter", n("mandates") + [dc])
        vdeps = [cloud]
        if region and r.chance(0.3):
            vdeps.append(f"{region}/regional-videotjanst")
        a("video-conferencing", "videomoten", "Videomöten", vdeps)
        a("legal-agreement", "pub-avtal", "Personuppgiftsbiträdesavtal för molntjänster", [cloud])
        a("notification", "utskick", "Utskick med e-post och sms", [cloud, "digital-post"])
        return fed

    def services_core(self, o, kind, plan, region=None):
        r, a, n = o.rng, o.add, self.n
        dc, cloud, wan = o.first("datacenter"), o.first("cloud-hosting"), o.first("wan")
        esign, earch = o.first("e-signature"), o.first("e-archive")
        a("case-management", "diarium", "Diarium och ärendehantering", [esign, "lagring", earch, dc],
          product=f"Ärendesystem {o.oid}", vendor=r.choice(["Formpipe", "Ciceron", "Evolution"]))
        a("e-service-platform", "e-tjansteplattform", "E-tjänsteplattform",
          ["legitimering", esign, "digital-post", dc])
        if r.chance(0.8):
            a("contact-center", "kontaktcenter", "Kontaktcenter", ["diarium", cloud])
        a("citizen-portal", "webbplats", "Webbplats och mina sidor", [cloud, "legitimering"], sensitivity="public")
        if kind == "kommun":
            a("school-administration", "elevadministration", "Elevadministration", ["katalogtjanst", cloud],
              standards=["ss12000"])
            prod = plan.get("product:school-platform")
            f = {"product": prod[0], "vendor": prod[1]} if prod else {}
            a("school-platform", "skolplattform", "Skolplattform",
              ["elevadministration"] + n("school-federation") + [cloud], standards=["ss12000"], **f)
            prod = plan.get("product:social-care-records")
            f = {"product": prod[0], "vendor": prod[1]} if prod else {}
            a("social-care-records", "verksamhetssystem-omsorg", "Verksamhetssystem för socialtjänst och omsorg",
              ["siths-kort", "katalogtjanst", earch, dc, wan], critical=True, **f)
            a("home-care-planning", "hemtjanstplanering", "Planering och mobil dokumentation i hemtjänsten",
              ["verksamhetssystem-omsorg", "mobilnat"])
            if "gap:digital-safety-alarm" not in plan:
                a("digital-safety-alarm", "trygghetslarm", "Digitala trygghetslarm med larmmottagning",
                  ["mobilnat", wan], critical=True)
            a("building-permit", "bygglov", "Bygglovshantering", ["kartor", "diarium", dc])
            a("library-system", "bibliotek", "Bibliotekssystem", [cloud])
            a("health-information-exchange", "npo", "NPÖ för kommunal hälso- och sjukvård", n("npo") + ["siths-kort"])
            if region:
                a("health-information-exchange", "samordnad-vardplanering", "Samordnad vårdplanering med regionen",
                  [f"{region}/samordnad-vardplanering", "siths-kort"])
        elif kind == "region":
            a("healthcare-records", "vardjournal", "Vårdjournal", ["siths-kort", "katalogtjanst"] + n("hsa") +
              ["integrationsmotor", earch, dc, wan], critical=True, standards=["fhir-r4"],
              product=f"Journalsystem {o.oid}", vendor=r.choice(["Cambio", "Cosmic", "Cerner"]))
            a("patient-portal", "invanartjanster", "Invånartjänster via 1177", n("1177"))
            a("patient-portal", "journalen", "Journalen", n("journalen") + ["vardjournal"])
            a("health-information-exchange", "npo", "NPÖ", n("npo") + ["vardjournal", "integrationsmotor"])
            a("health-information-exchange", "samordnad-vardplanering", "Samordnad vårdplanering för länet",
              self.n("npo") + ["siths-ra", "regional-integration", dc])
            a("telehealth", "digitala-vardmoten", "Digitala vårdmöten", ["legitimering", "videomoten"])

    def core_kommun(self, o, spec, plan):
        region = self.region_ids.get(spec["county"], (None,))[0] if not spec.get("standalone") else None
        self.hard_core(o, "kommun", "Kommunnätet", region)
        self.soft_core(o, "kommun", plan, region)
        self.services_core(o, "kommun", plan, region)

    def core_region(self, o, spec, plan):
        self.hard_core(o, "region", "Regionnätet")
        self.soft_core(o, "region", plan)
        self.services_core(o, "region", plan)

    def core_myndighet(self, o, spec, plan):
        self.hard_core(o, "myndighet", "Myndighetsnätet")
        self.soft_core(o, "myndighet", plan)
        self.services_core(o, "myndighet", plan)

    # bulk: fill to the target with many-valued capabilities
    BULK = {
        "kommun": [("e-service", 0.34), ("learning-management", 0.05), ("citizen-portal", 0.04),
                   ("integration", 0.12), ("document-storage", 0.04), ("base-data", 0.03), ("geodata", 0.02),
                   ("open-data", 0.02), ("legal-agreement", 0.03), ("notification", 0.02),
                   ("authorization-mandates", 0.01), ("e-payment", 0.01),
                   ("site", 0.25), ("datacenter", 0.005), ("cloud-hosting", 0.01), ("mobile-network", 0.005),
                   ("backup", 0.005), ("network-security", 0.005)],
        "region": [("telehealth", 0.14), ("patient-portal", 0.04), ("e-service", 0.14), ("citizen-portal", 0.02),
                   ("health-information-exchange", 0.04),
                   ("integration", 0.16), ("document-storage", 0.04), ("base-data", 0.03), ("geodata", 0.01),
                   ("legal-agreement", 0.03), ("notification", 0.02), ("authorization-mandates", 0.02),
                   ("site", 0.27), ("datacenter", 0.01), ("cloud-hosting", 0.01), ("mobile-network", 0.01),
                   ("backup", 0.005), ("network-security", 0.005)],
        "myndighet": [("e-service", 0.38), ("citizen-portal", 0.04),
                      ("integration", 0.16), ("document-storage", 0.05), ("base-data", 0.05), ("open-data", 0.04),
                      ("legal-agreement", 0.03), ("notification", 0.03), ("authorization-mandates", 0.02),
                      ("e-payment", 0.02),
                      ("site", 0.12), ("datacenter", 0.02), ("cloud-hosting", 0.02), ("mobile-network", 0.01),
                      ("backup", 0.005), ("network-security", 0.005)],
    }
    SOFT_NAMES = {
        "integration": ("integration", "Integration"), "document-storage": ("lagring", "Lagringsyta"),
        "base-data": ("grunddata", "Grunddatatjänst"), "geodata": ("geodata", "Geodatatjänst"),
        "open-data": ("oppna-data", "Öppen datamängd"), "legal-agreement": ("avtal", "Avtal"),
        "notification": ("avisering", "Aviseringstjänst"), "authorization-mandates": ("behorighet", "Behörighetstjänst"),
        "e-payment": ("betalning", "Betaltjänst"),
    }
    HARD_NAMES = {
        "datacenter": ("datacenter", "Datacenter"), "cloud-hosting": ("molntjanst", "Molntjänst"),
        "mobile-network": ("mobilnat", "Mobilabonnemang"), "backup": ("backup", "Säkerhetskopiering"),
        "network-security": ("brandvagg", "Brandvägg"),
    }

    def bulk(self, o, spec, target, plan):
        r, a = o.rng, o.add
        kind = spec["type"]
        region = self.region_ids.get(spec["county"], (None,))[0] if kind == "kommun" and not spec.get("standalone") else None
        weights = self.BULK[kind]
        caps_w = [c for c, _ in weights]
        cum, acc = [], 0.0
        for _, w in weights:
            acc += w
            cum.append(acc)
        # reserve room for planted items
        reserve = 8 if plan.get("any") else 0
        remaining = target - len(o.items) - reserve
        wan = o.first("wan")
        sites = SITE_KINDS[kind]
        site_n = 0
        topic_n = 0
        platform = o.first("e-service-platform")
        core = (list(o.pool["soft"]), list(o.pool["services"]))
        counter = {}
        while remaining > 0:
            cap = caps_w[min(len(cum) - 1, _bisect(cum, r.random() * acc))]
            hubs = o.hubs
            if cap == "site":
                if remaining < 2:
                    continue
                site_n += 1
                sk, sname = sites[site_n % len(sites)]
                num = f"{site_n:03d}"
                p = a("property-network", f"fastighetsnat-{sk}-{num}", f"Fastighetsnät {sname} {num}",
                      [wan, o.first("network-security")] if r.chance(0.6) else [wan],
                      **self.fields(r, 0.1, o))
                deps = [p, wan] if r.chance(0.5) else [p]
                a("wifi", f"wifi-{sk}-{num}", f"Wifi {sname} {num}", deps, **self.fields(r, 0.1, o))
                remaining -= 2
                continue
            layer = self.caps[cap]["layer"]
            counter[cap] = counter.get(cap, 0) + 1
            c = counter[cap]
            f = self.fields(r, 0.3, o)
            if cap == "e-service":
                slug, title = E_SERVICE_TOPICS[topic_n % len(E_SERVICE_TOPICS)]
                topic_n += 1
                status = "planned" if r.chance(0.02) else "active"
                deps = [platform] + self.extra_deps(o, "services", r.choice((2, 3, 3, 3, 4, 4)), hubs, core)
                if region and r.chance(0.05):
                    deps.append(f"{region}/regional-integration")
                a(cap, f"e-tjanst-{slug}-{c}", f"{title} ({c})", deps, status=status, **f)
            elif cap in ("learning-management", "citizen-portal", "telehealth", "patient-portal",
                         "health-information-exchange"):
                base = {"learning-management": ("larplattform", "Lärplattform"),
                        "citizen-portal": ("portal", "Webbportal"), "telehealth": ("vardmote", "Digitala vårdmöten"),
                        "patient-portal": ("invanartjanst", "Invånartjänst vård"),
                        "health-information-exchange": ("informationsutbyte", "Informationsutbyte vård")}[cap]
                deps = []
                if cap == "learning-management":
                    deps = self.n("school-federation") + ["elevadministration"]
                elif cap == "telehealth":
                    deps = ["legitimering", "videomoten"]
                elif cap == "patient-portal":
                    deps = self.n("1177")
                elif cap == "health-information-exchange":
                    deps = self.n("npo") + ["siths-kort"]   # built on NPÖ, not beside it
                deps += self.extra_deps(o, "services", r.choice((1, 2, 2, 3)), hubs, core)
                a(cap, f"{base[0]}-{c}", f"{base[1]} {c}", deps, **f)
            elif layer == "soft":
                base = self.SOFT_NAMES[cap]
                deps = self.extra_deps(o, "soft", r.choice((2, 3, 3, 3, 4)), hubs, core)
                if cap == "integration" and "integration-platform" in o.by_cap:
                    deps.insert(0, o.first("integration-platform"))
                if cap == "integration" and region and r.chance(0.1):
                    deps.append(f"{region}/regional-integration")
                if cap == "integration" and r.chance(0.4):
                    f["standards"] = ["openapi3"]
                # the first reference is always a hard hub, so the item is grounded
                deps.insert(0, r.choice(hubs))
                a(cap, f"{base[0]}-{c}", f"{base[1]} {c}", deps, **f)
            else:
                base = self.HARD_NAMES[cap]
                deps = [wan] if cap in ("datacenter", "network-security") else []
                if cap == "backup":
                    deps = [o.first("datacenter")]
                a(cap, f"{base[0]}-{c}", f"{base[1]} {c}", deps, **f)
            remaining -= 1

    # ── planted problems ──
    def plant(self, o, spec, plan):
        r, a = o.rng, o.add
        P = self.planted
        dc, cloud = o.first("datacenter"), o.first("cloud-hosting")
        f = spec["file"]
        if "cycle" in plan:
            k = r.randint(2, 5)
            ids = [f"integration-slinga-{i + 1}" for i in range(k)]
            for i in range(k):
                a("integration", ids[i], f"Integrationsslinga {i + 1}", [ids[(i + 1) % k], dc], target=False)
            P["dependency_cycles"].append({"org": o.oid, "file": f, "items": ids, "length": k})
        if "ungrounded" in plan:
            if r.chance(0.7):
                sid = a("e-service", "e-tjanst-utan-drift", "E-tjänst utan registrerad drift", [], target=False)
                P["ungrounded_items"].append({"org": o.oid, "file": f, "item": sid, "variant": "no-depends_on"})
            else:
                soft = a("document-storage", "lokal-lagring-utan-drift", "Lokal lagring utan registrerad drift", [],
                         target=False)
                sid = a("e-service", "e-tjanst-lokal-lagring", "E-tjänst på lokal lagring", [soft], target=False)
                P["ungrounded_items"].append({"org": o.oid, "file": f, "item": soft, "variant": "soft-without-depends_on"})
                P["ungrounded_items"].append({"org": o.oid, "file": f, "item": sid, "variant": "via-ungrounded-soft"})
        if "gauge" in plan:
            if o.type == "region" and r.chance(0.5):
                ad = a("integration", "hl7-adapter", "HL7v2-adapter för labbsvar", [dc], standards=["hl7v2"], target=False)
                sid = a("telehealth", "vardmote-fhir", "Digitala vårdmöten med FHIR-journal", [ad, "legitimering", dc],
                        standards=["fhir-r4"], target=False)
                P["gauge_breaks"].append({"org": o.oid, "file": f, "from": f"{o.oid}/{sid}", "to": f"{o.oid}/{ad}",
                                          "family": "health-records", "from_standards": ["fhir-r4"], "to_standards": ["hl7v2"]})
            else:
                sid = a("e-service", "e-tjanst-oidc", "E-tjänst med OpenID Connect-inloggning",
                        ["legitimering", o.first("e-service-platform"), dc], standards=["oidc"], target=False)
                P["gauge_breaks"].append({"org": o.oid, "file": f, "from": f"{o.oid}/{sid}", "to": f"{o.oid}/legitimering",
                                          "family": "identity-federation", "from_standards": ["oidc"], "to_standards": ["saml2"]})
        if "dup" in plan:
            choices = [c for c in ("e-archive", "case-management", "e-signature", "directory-service")
                       if o.first(c)]
            cap = r.choice(choices)
            names = {"e-archive": ("e-arkiv-nytt", "Nytt e-arkiv (parallell drift)", [dc, "sakerhetskopiering"]),
                     "case-management": ("diarium-nytt", "Nytt diarium (parallell drift)", ["lagring", dc]),
                     "e-signature": ("e-underskrift-2", "E-underskrift i e-tjänsteplattformen", ["legitimering", dc]),
                     "directory-service": ("katalogtjanst-2", "Katalogtjänst för skolan", [dc])}[cap]
            sid = a(cap, names[0], names[1], names[2], target=False)
            P["duplicate_unique_capability"].append({"org": o.oid, "file": f, "capability": cap,
                                                     "items": [o.first(cap), sid]})
        for key in plan:
            if key.startswith("gap:"):
                P["baseline_gaps"].append({"org": o.oid, "file": f, "type": o.type, "capability": key[4:]})
        for key in ("product:social-care-records", "product:school-platform"):
            if key in plan:
                group, prod, vend = plan[key][2], plan[key][0], plan[key][1]
                item = o.first(key.split(":")[1])
                P["shared_products"].append({"group": group, "org": o.oid, "file": f, "item": item,
                                             "capability": key.split(":")[1], "product": prod, "vendor": vend})
        # dangling references: one extra reference per ~1,000 written ones
        if not spec.get("standalone"):
            region = self.region_ids.get(spec.get("county")) if o.type == "kommun" else None
            for it in o.items:
                for _ in it["deps"]:
                    if r.random() < RATE_DANGLING:
                        ref, kind = self.dangling(o, it, region)
                        it["deps"].append(ref)
                        P["dangling_references"].append({"org": o.oid, "file": f, "item": it["id"], "ref": ref,
                                                         "kind": kind})
                        break

    def dangling(self, o, it, region):
        r = o.rng
        for _ in range(50):
            x = r.random()
            if x < 0.6 and it["deps"]:
                local = [d for d in it["deps"] if "/" not in d] or sorted(o.ids)[:5]
                ref, kind = typo(r.choice(local), r), "local-typo"
                if ref in o.ids:
                    continue
            elif x < 0.8 and region:
                rid, rids = region
                ref, kind = f"{rid}/{typo(r.choice(sorted(rids)), r)}", "region-item-typo"
                if ref.split("/", 1)[1] in rids:
                    continue
            elif x < 0.93:
                nat = r.choice(sorted(self.national_ids))
                org, item = nat.split("/", 1)
                ref, kind = f"{org}/{typo(item, r)}", "national-item-typo"
                if ref in self.national_ids:
                    continue
            else:
                ref, kind = f"kommunalforbund-{r.randint(1, 99)}/e-arkiv", "organisation-not-in-scan"
            if ref not in it["deps"]:
                return ref, kind
        return f"saknas-{o.oid}/x", "organisation-not-in-scan"


def _bisect(cum, x):
    lo, hi = 0, len(cum)
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def typo(s, r):
    """A plausible misspelling that is still a valid slug."""
    if len(s) < 4:
        return s + "x"
    i = r.randrange(1, len(s) - 1)
    op = r.random()
    if op < 0.4:
        t = s[:i] + s[i + 1:]               # dropped character
    elif op < 0.7:
        t = s[:i] + s[i] + s[i:]            # doubled character
    else:
        t = s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]  # swapped neighbours
    t = re.sub("-+", "-", t).strip("-")
    return t if t != s else s + "x"


# ── writing ─────────────────────────────────────────────────────────────────
def render(spec, o):
    out = []
    w = out.append
    w(f"# Synthetic inventory generated by Benchmarks/generate_country.py for benchmarking; not real data.")
    w("inventory: 1")
    w("organisation:")
    w(f"  id: {o.oid}")
    w(f"  name: {q(spec['name'])}")
    w(f"  type: {spec['type']}")
    if spec.get("code"):
        w(f'  code: "{spec["code"]}"')
    if spec["type"] == "kommun":
        w(f'  county: "{spec["county"]}"')
    if spec.get("org_number"):
        w(f'  org_number: "{spec["org_number"]}"')
    w(f"  contact: it@{o.oid}.example.se")
    for layer in ("services", "soft", "hard"):
        items = [it for it in o.items if it["layer"] == layer]
        if not items:
            w(f"{layer}: []")
            continue
        w("")
        w(f"{layer}:")
        for it in items:
            w(f"  - id: {it['id']}")
            w(f"    name: {q(it['name'])}")
            w(f"    capability: {it['capability']}")
            st = it.get("status")
            if st and st != "active":
                w(f"    status: {st}")
            if it.get("product") is not None:
                w(f"    product: {q(it['product'])}")
            if it.get("vendor") is not None:
                w(f"    vendor: {q(it['vendor'])}")
            if it.get("standards"):
                w(f"    standards: [{', '.join(it['standards'])}]")
            if it.get("critical"):
                w("    critical: true")
            if it.get("sensitivity"):
                w(f"    sensitivity: {it['sensitivity']}")
            deps = it["deps"]
            if deps:
                if len(deps) > 4 and len(it["id"]) % 3 == 0:
                    w("    depends_on:")
                    for d in deps:
                        w(f"      - {d}")
                else:
                    w(f"    depends_on: [{', '.join(deps)}]")
            cov = it.get("coverage")
            if cov:
                w("    coverage:")
                for k, v in cov.items():
                    w(f"      {k}: {q(v) if isinstance(v, str) else v}")
            if it.get("tags"):
                w(f"    tags: [{', '.join(it['tags'])}]")
            if it.get("x-owner"):
                w(f"    x-owner: {q(it['x-owner'])}")
            if it.get("notes"):
                if len(it["id"]) % 2:
                    w("    notes: >-")
                    w(f"      {it['notes']}")
                else:
                    w(f"    notes: {q(it['notes'])}")
    w("")
    return "\n".join(out)


def organisation_specs(munis, regions, seed, scale):
    """All 651 organisations in file order: per county the region then its kommuner; then the agencies."""
    big = max(int(m["population"]) for m in munis)
    county_pop = {}
    for m in munis:
        county_pop[m["county_code"]] = county_pop.get(m["county_code"], 0) + int(m["population"])
    big_county = max(county_pop.values())

    slugs = {}
    for m in munis:
        slugs.setdefault(slugify(m["name"]), []).append(m["code"])
    specs = []
    by_county = {}
    for m in munis:
        s = slugify(m["name"])
        oid = s if len(slugs[s]) == 1 else f"{s}-{m['code']}"   # Håbo/Habo -> habo-0305, habo-0643
        pop = int(m["population"])
        by_county.setdefault(m["county_code"], []).append({
            "type": "kommun", "oid": oid, "name": f"{m['name']} kommun", "code": m["code"],
            "county": m["county_code"], "org_number": (m.get("org_number") or "").strip(), "pop": pop,
            "items": scale * Country.kommun_items(pop, big), "dir": "kommuner"})
    for rg in regions:
        cc = rg["county_code"]
        pop = county_pop.get(cc, 0)
        specs.append({"type": "region", "oid": slugify(rg["name"]), "name": rg["name"], "code": cc, "county": cc,
                      "org_number": (rg.get("org_number") or "").strip(), "pop": pop,
                      "items": scale * (500 + 3000 * (pop / big_county) ** 0.7), "dir": "regioner"})
        specs.extend(by_county.pop(cc, []))
    for cc in sorted(by_county):          # kommuner in a county without a region row (none today)
        specs.extend(by_county[cc])
    ra = Rng(f"{seed}:agencies")
    for i in range(1, N_AGENCIES + 1):
        n = min(3000, max(60, int(ra.lognormvariate(math.log(225), 0.85))))
        specs.append({"type": "myndighet", "oid": f"myndighet-{i:03d}", "name": f"Myndighet {i:03d}", "code": None,
                      "county": None, "org_number": "", "pop": 0, "items": scale * n, "dir": "myndigheter"})
    for s in specs:
        s["file"] = f"{s['dir']}/{s['oid']}.yaml"
    return specs


def make_plans(specs, seed):
    """Which organisation gets which planted problem; decided for the whole country so
    --orgs N keeps the first N organisations identical."""
    r = Rng(f"{seed}:plan")
    plans = {s["oid"]: {} for s in specs}
    for s in specs:
        p = plans[s["oid"]]
        if r.chance(RATE_CYCLE):
            p["cycle"] = True
        if r.chance(RATE_UNGROUNDED):
            p["ungrounded"] = True
        if r.chance(RATE_GAUGE):
            p["gauge"] = True
        dup = r.chance(RATE_DUP_UNIQUE)
        if s["type"] == "kommun":
            if r.chance(RATE_GAP_EARCHIVE):
                p["gap:e-archive"] = True
            if r.chance(RATE_GAP_ALARM):
                p["gap:digital-safety-alarm"] = True
        if s["type"] == "myndighet" and r.chance(RATE_GAP_ESIGN):
            p["gap:e-signature"] = True
        if dup:
            p["dup"] = True
    kommuner = [s["oid"] for s in specs if s["type"] == "kommun"]
    free = {"social-care-records": list(kommuner), "school-platform": list(kommuner)}
    for group, cap, count, prods, vends in SHARED_PRODUCTS:
        pool = free[cap]
        chosen = r.sample(pool, min(count, len(pool)))
        chosen_set = set(chosen)
        free[cap] = [k for k in pool if k not in chosen_set]
        for i, oid in enumerate(chosen):
            plans[oid][f"product:{cap}"] = (prods[i % len(prods)], vends[(i * 7 + 3) % len(vends)], group)
    for p in plans.values():
        p["any"] = any(k in p for k in ("cycle", "ungrounded", "gauge", "dup"))
    return plans


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--orgs", type=int, default=None, help="generate only the first N organisations")
    ap.add_argument("--single-kommun", type=int, default=None, metavar="ITEMS",
                    help="write one municipality of exactly ITEMS items, self-contained apart from national components")
    args = ap.parse_args()
    if args.scale <= 0:
        ap.error("--scale must be positive")

    t0 = time.time()
    caps = read_capabilities()
    standards = read_standards()
    national = read_national()
    munis, regions = read_sweden()
    country = Country(args.seed, args.scale, caps, standards, national)
    check_vocabulary(caps, standards)

    specs = organisation_specs(munis, regions, args.seed, args.scale)
    os.makedirs(args.outdir, exist_ok=True)

    if args.single_kommun:
        want = args.single_kommun
        spec = min((s for s in specs if s["type"] == "kommun"), key=lambda s: abs(s["items"] / args.scale - want))
        spec = dict(spec, items=want, standalone=True, file=f"{spec['oid']}.yaml")
        o = country.build(spec, {"any": False})
        while len(o.items) > want:      # trim bulk items nothing depends on (the last ones)
            used = {d for it in o.items for d in it["deps"]}
            last = o.items[-1]
            if last["id"] in used:
                break
            o.items.pop()
        text = render(spec, o)
        path = os.path.join(args.outdir, spec["file"])
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        deps = sum(len(it["deps"]) for it in o.items)
        print(f"wrote {path}: {spec['name']}, {len(o.items)} items, {deps} references, "
              f"{len(text.encode()) / 1e3:.0f} kB", file=sys.stderr)
        return

    if args.orgs is not None:
        specs = specs[:args.orgs]
    plans = make_plans(organisation_specs(munis, regions, args.seed, args.scale), args.seed)
    for d in ("kommuner", "regioner", "myndigheter"):
        os.makedirs(os.path.join(args.outdir, d), exist_ok=True)

    n_items = n_deps = n_bytes = 0
    per_type = {}
    for spec in specs:
        o = country.build(spec, plans[spec["oid"]])
        if spec["type"] == "region":
            country.region_ids[spec["county"]] = (o.oid, set(o.ids))
        text = render(spec, o)
        data = text.encode("utf-8")
        with open(os.path.join(args.outdir, spec["file"]), "wb") as fh:
            fh.write(data)
        n_items += len(o.items)
        d = sum(len(it["deps"]) for it in o.items)
        n_deps += d
        n_bytes += len(data)
        t = per_type.setdefault(spec["type"], [0, 0, 0])
        t[0] += 1
        t[1] += len(o.items)
        t[2] += d
    secs = time.time() - t0

    P = country.planted
    groups = {}
    for e in P["shared_products"]:
        groups.setdefault(e["group"], []).append(e)
    summary = {
        "dangling_references": len(P["dangling_references"]),
        "dependency_cycles": len(P["dependency_cycles"]),
        "dependency_cycle_items": sum(c["length"] for c in P["dependency_cycles"]),
        "ungrounded_items": len(P["ungrounded_items"]),
        "ungrounded_services": sum(1 for u in P["ungrounded_items"] if u["variant"] != "soft-without-depends_on"),
        "gauge_breaks": len(P["gauge_breaks"]),
        "duplicate_unique_capability": len(P["duplicate_unique_capability"]),
        "baseline_gaps": len(P["baseline_gaps"]),
        "shared_product_groups": {g: len(v) for g, v in sorted(groups.items())},
    }
    report = {
        "generator": "Benchmarks/generate_country.py",
        "seed": args.seed, "scale": args.scale, "orgs": len(specs),
        "files": len(specs), "items": n_items, "dependencies": n_deps, "bytes": n_bytes,
        "per_type": {k: {"files": v[0], "items": v[1], "dependencies": v[2]} for k, v in per_type.items()},
        "rates": {"dangling_per_reference": RATE_DANGLING, "cycle_per_org": RATE_CYCLE,
                  "ungrounded_per_org": RATE_UNGROUNDED, "gauge_break_per_org": RATE_GAUGE,
                  "duplicate_unique_per_org": RATE_DUP_UNIQUE, "gap_e_archive_per_kommun": RATE_GAP_EARCHIVE,
                  "gap_digital_safety_alarm_per_kommun": RATE_GAP_ALARM,
                  "gap_e_signature_per_myndighet": RATE_GAP_ESIGN,
                  "shared_products": {g: {"capability": c, "kommuner": n} for g, c, n, _, _ in SHARED_PRODUCTS}},
        "summary": summary,
        "planted": P,
    }
    with open(os.path.join(args.outdir, "PLANTED.json"), "w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=1)
        fh.write("\n")

    e = sys.stderr
    print(f"generated {len(specs)} files, {n_items:,} items, {n_deps:,} references, "
          f"{n_bytes / 1e6:.1f} MB in {secs:.1f} s (seed {args.seed}, scale {args.scale:g}) -> {args.outdir}", file=e)
    for k, v in per_type.items():
        print(f"  {k:10s} {v[0]:4d} files {v[1]:8,d} items {v[2]:9,d} references", file=e)
    print("planted (all listed in PLANTED.json):", file=e)
    print(f"  dangling references      {summary['dangling_references']:5d}  (rate {RATE_DANGLING:.1%} of references)", file=e)
    print(f"  dependency cycles        {summary['dependency_cycles']:5d}  ({summary['dependency_cycle_items']} items, one ring per org)", file=e)
    print(f"  ungrounded items         {summary['ungrounded_items']:5d}  ({summary['ungrounded_services']} services)", file=e)
    print(f"  gauge breaks             {summary['gauge_breaks']:5d}", file=e)
    print(f"  duplicate unique caps    {summary['duplicate_unique_capability']:5d}", file=e)
    gaps = {}
    for g in P["baseline_gaps"]:
        gaps[g["capability"]] = gaps.get(g["capability"], 0) + 1
    print(f"  baseline gaps            {summary['baseline_gaps']:5d}  {gaps}", file=e)
    print(f"  shared products          {summary['shared_product_groups']}", file=e)


def check_vocabulary(caps, standards):
    used_caps = {c for k in Country.BULK.values() for c, _ in k if c != "site"} | {
        "property-network", "wifi", "fiber-network", "broadband-access", "wan", "network-security", "dns",
        "datacenter", "cloud-hosting", "mobile-network", "backup", "tv-distribution", "city-network",
        "directory-service", "identity-federation", "eid-staff", "e-signature", "secure-messaging",
        "digital-mailbox", "e-archive", "integration-platform", "integration", "geodata", "video-conferencing",
        "api-management", "email", "document-storage", "e-invoice", "e-payment", "open-data",
        "authorization-mandates", "legal-agreement", "notification", "case-management", "e-service-platform",
        "contact-center", "citizen-portal", "school-administration", "school-platform", "social-care-records",
        "home-care-planning", "digital-safety-alarm", "building-permit", "library-system",
        "health-information-exchange", "healthcare-records", "patient-portal", "telehealth", "e-service"}
    missing = sorted(c for c in used_caps if c not in caps or not caps[c]["layer"])
    if missing:
        sys.exit(f"generate_country.py: capabilities missing from inventory/capabilities.yaml: {missing}")
    used_std = {"saml2", "oidc", "pades", "edelivery", "fgs-paket", "rivta", "openapi3", "peppol-bis3", "dcat-ap",
                "ss12000", "fhir-r4", "hl7v2"}
    missing = sorted(used_std - standards)
    if missing:
        sys.exit(f"generate_country.py: standards missing from inventory/standards.yaml: {missing}")


if __name__ == "__main__":
    main()
