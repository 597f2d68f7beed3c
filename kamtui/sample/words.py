"""The vocabulary sample portfolios are drawn from: industries, company and person names, job
titles by role, goals, initiatives, objectives, actions and notes. Data only."""

from __future__ import annotations

from kamtui.domain.model import DecisionRole, Horizon

BASE_TEAM = ("ana", "ben", "chloe", "dev")


INDUSTRIES = (
    "Manufacturing",
    "Logistics",
    "Retail",
    "Healthcare",
    "Financial services",
    "Insurance",
    "Energy",
    "Utilities",
    "Telecom",
    "Software",
    "Pharmaceuticals",
    "Food & beverage",
    "Automotive",
    "Construction",
    "Education",
    "Public sector",
    "Media",
    "Hospitality",
    "Agriculture",
    "Aerospace",
)

NAME_ROOTS = (
    "Alder", "Amber", "Apex", "Arbor", "Aurora", "Basalt", "Beacon", "Birch", "Blue Fern", "Bramble",
    "Brightwater", "Cardinal", "Cedar", "Cobalt", "Copper", "Crescent", "Delta", "Driftwood", "Eastgate",
    "Ember", "Evergreen", "Falcon", "Fieldstone", "Granite", "Harbor", "Hawthorn", "Helix", "Highland",
    "Iron Oak", "Juniper", "Keystone", "Lakeside", "Larch", "Lumen", "Maple", "Meridian", "Millbrook",
    "Northwind", "Oakridge", "Onyx", "Orchard", "Pinecrest", "Polaris", "Quarry", "Redwood", "Ridgeline",
    "Riverbend", "Saffron", "Sierra", "Silverline", "Solstice", "Stonebridge", "Summit", "Tidewater",
    "Timberline", "Trident", "Vantage", "Westbrook", "Willow", "Zenith",
)  # fmt: skip
NAME_NOUNS = (
    "Analytics", "Bakeries", "Biotech", "Brands", "Builders", "Capital", "Chemicals", "Clinics", "Components",
    "Dynamics", "Electric", "Energy", "Engineering", "Farms", "Foods", "Freight", "Health", "Holdings",
    "Hotels", "Industries", "Instruments", "Labs", "Logistics", "Machining", "Marine", "Materials", "Media",
    "Metals", "Mobility", "Networks", "Optics", "Packaging", "Pharma", "Plastics", "Power", "Retail",
    "Robotics", "Systems", "Textiles", "Water",
)  # fmt: skip
NAME_SUFFIXES = ("", "", "", "Inc", "Ltd", "GmbH", "S.A.", "Group", "Co", "LLC", "AG", "plc", "B.V.", "S.L.", "Oy")

FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Anders", "Beatriz", "Bruno", "Camille", "Carlos", "Chen", "Daniela",
    "David", "Elena", "Emeka", "Fatima", "Felix", "Grace", "Hannah", "Hiroshi", "Ingrid", "Isabel",
    "Jamal", "Javier", "Julia", "Kenji", "Laila", "Lars", "Lucia", "Marco", "Maria", "Mateo", "Mei",
    "Nadia", "Nikolai", "Noah", "Olivia", "Omar", "Pablo", "Priya", "Rafael", "Rosa", "Samuel", "Sara",
    "Sofia", "Tariq", "Thomas", "Valeria", "Victor", "Wei", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Almeida", "Andersson", "Bauer", "Becker", "Castillo", "Chowdhury", "Costa", "Dubois", "Eriksen",
    "Fernandez", "Fischer", "Garcia", "Haddad", "Hansen", "Ito", "Jansen", "Kowalski", "Kumar", "Larsen",
    "Lemaire", "Lopez", "Martin", "Moreau", "Nakamura", "Navarro", "Nguyen", "Novak", "Okafor", "Olsen",
    "Ortega", "Park", "Pereira", "Petrov", "Quinn", "Rossi", "Ruiz", "Santos", "Schmidt", "Silva",
    "Svensson", "Tanaka", "Torres", "Vasquez", "Vogel", "Wagner", "Weber", "Wong", "Yilmaz", "Zhang",
)  # fmt: skip

TITLES: dict[DecisionRole, tuple[str, ...]] = {
    DecisionRole.ECONOMIC_BUYER: ("CFO", "Chief Executive Officer", "VP Finance", "Managing Director"),
    DecisionRole.DECISION_MAKER: ("COO", "VP Operations", "Head of Procurement", "General Manager"),
    DecisionRole.TECHNICAL_BUYER: ("CTO", "Head of IT", "Engineering Director", "Quality Manager"),
    DecisionRole.INFLUENCER: ("Head of Strategy", "Operations Manager", "Program Manager", "Plant Director"),
    DecisionRole.CHAMPION: ("Project Lead", "Head of Digital", "Supply Chain Manager", "Category Manager"),
    DecisionRole.COACH: ("Business Analyst", "Procurement Specialist", "Team Lead", "Controller"),
    DecisionRole.USER: ("Planner", "Line Supervisor", "Buyer", "Analyst", "Site Manager"),
    DecisionRole.GATEKEEPER: ("Executive Assistant", "Vendor Manager", "Procurement Officer"),
    DecisionRole.BLOCKER: ("Legacy Systems Owner", "Head of Compliance", "Incumbent Vendor Sponsor"),
}

CRITERIA = (
    "product affinity",
    "solvency",
    "existing relationships",
    "channel potential",
    "cultural affinity",
    "geographic alignment",
    "buying process",
    "revenue potential",
)
KEY_CADENCES = (
    "monthly",
    "monthly",
    "monthly",
    "biweekly",
    "biweekly",
    "FREQ=MONTHLY;BYDAY=1TU",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
)

GOALS = (
    "Grow share in the mid-market segment",
    "Cut operating costs by 10% within two years",
    "Open two new regional sites",
    "Move the core platform to the cloud",
    "Reach net-zero emissions in production by 2030",
    "Shorten order-to-delivery time",
    "Consolidate the supplier base",
    "Launch a subscription offer",
    "Expand into Latin America",
    "Improve first-time quality above 98%",
)
HEALTH = (
    "Strong balance sheet, margins improving",
    "Stable revenue, tight cash after an acquisition",
    "Growing fast, funded by a recent round",
    "Under margin pressure from energy prices",
    "Solid, investment grade rating",
    "Revenue flat, cost programme under way",
)
INITIATIVES = (
    "ERP replacement programme",
    "Warehouse automation pilot",
    "Supplier sustainability audit",
    "Customer portal relaunch",
    "Lean manufacturing roll-out",
    "Data platform consolidation",
    "New product line launch",
    "Shared services centre",
)
SWOT = {
    "strengths": ("Loyal installed base", "Strong brand", "Experienced leadership", "Efficient plants"),
    "weaknesses": ("Legacy IT", "Slow decision making", "High staff turnover", "Thin middle management"),
    "opportunities": ("Regulation favours our offer", "New markets opening", "Consolidation of vendors"),
    "threats": ("Low-cost competitor entering", "Budget freeze risk", "Key sponsor may retire", "Tariffs"),
}
OBJECTIVES = {
    Horizon.SHORT: (
        "Renew the service contract",
        "Close the pilot expansion",
        "Resolve open quality complaints",
        "Get the onboarding of the new site done",
    ),
    Horizon.MEDIUM: (
        "Become preferred supplier for the new plant",
        "Expand into the logistics division",
        "Win the platform migration project",
        "Double the number of active users",
    ),
    Horizon.LONG: (
        "Sign a three-year framework agreement",
        "Become a strategic partner for their growth plan",
        "Co-develop the next product generation",
    ),
}
ACTIONS = (
    "Meet the VP of engineering to strengthen the relationship",
    "Build a value proposition for the CTO meeting",
    "Ask our champion to request the executive meeting",
    "Send the ROI case study",
    "Run a workshop with the operations team",
    "Prepare the renewal proposal",
    "Map the procurement process with the gatekeeper",
    "Invite the sponsor to the customer advisory board",
    "Review open support tickets with the technical buyer",
    "Share the reference visit schedule",
)
SUMMARIES = (
    "Quarterly business review",
    "Call about delivery delays",
    "Site visit and plant tour",
    "Pricing discussion",
    "Demo of the new release",
    "Escalation follow-up",
    "Lunch with the sponsor",
    "Roadmap session",
    "Follow-up email with the proposal",
    "Trade fair meeting",
)
OPPORTUNITIES = (
    "Service contract renewal",
    "Additional licences",
    "Spare parts framework",
    "New site roll-out",
    "Training package",
    "Maintenance upgrade",
    "Consulting engagement",
    "Replacement order",
)
# The same in Spanish, place for place (the Spanish demo draws from these: kamtui.sample.demo_build).
SUMMARIES_ES = (
    "Revisión trimestral de negocio",
    "Llamada por retrasos en las entregas",
    "Visita a las instalaciones y a la planta",
    "Conversación sobre precios",
    "Demo de la nueva versión",
    "Seguimiento de un escalado",
    "Comida con el patrocinador",
    "Sesión de hoja de ruta",
    "Correo de seguimiento con la propuesta",
    "Reunión en la feria",
)
OPPORTUNITIES_ES = (
    "Renovación del contrato de servicio",
    "Licencias adicionales",
    "Acuerdo marco de repuestos",
    "Despliegue en una nueva sede",
    "Paquete de formación",
    "Ampliación del mantenimiento",
    "Proyecto de consultoría",
    "Pedido de reposición",
)
REVIEW_NOTES = {
    1: ("Engagement improving, sponsor more involved", "Good momentum after the workshop"),
    0: ("Steady; no major change", "Stable relationship, watch the renewal"),
    -1: ("Fewer meetings, sponsor distracted", "Complaints about delivery, needs attention"),
}
