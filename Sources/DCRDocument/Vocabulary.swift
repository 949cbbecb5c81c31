/// The words a council document uses, in Danish from the seeds ("indtag", "unikke brugere",
/// "situationsrapporter", "henvisninger", "mænd / kvinder", "i alt") and in English.
public enum Vocabulary {
    public enum Phrase: Sendable, CaseIterable {
        case intakes, clients, incidents, referrals, total, share, estimate, count, period,
             internalMark, publicMark, suppressedNote, estimateNote, perDay, perWeek, perMonth,
             bySite, byTarget, byKind, byGender, yearOnYear, change, statusTitle, yearTitle,
             generated, sharesNote, secondaryNote, year
    }

    static let phrases: [Phrase: [String]] = [
        .intakes: ["Indtag", "Intakes"],
        .clients: ["Unikke brugere", "Distinct clients"],
        .incidents: ["Situationsrapporter (hændelser)", "Incidents"],
        .referrals: ["Henvisninger", "Referrals"],
        .total: ["I alt", "Total"],
        .share: ["Andel", "Share"],
        .estimate: ["Skøn", "Estimate"],
        .count: ["Antal", "Count"],
        .period: ["Periode", "Period"],
        .internalMark: ["Intern – ikke til offentliggørelse", "Internal – not for publication"],
        .publicMark: ["Til offentliggørelse", "For publication"],
        .suppressedNote: ["Celler med færre end %d er skjult (\"<%d\"); celler mærket \"×\" er skjult, så de skjulte tal ikke kan regnes ud fra totalerne.",
                          "Cells below %d are suppressed (\"<%d\"); cells marked \"×\" are suppressed so that no suppressed number can be worked out from the totals."],
        .estimateNote: ["Skøn: de optalte tal for %@ ganget med %@. Skønnet er ikke en optælling.",
                        "Estimate: the counts for %@ multiplied by %@. An estimate is not a count."],
        .perDay: ["Indtag pr. dag", "Intakes per day"],
        .perWeek: ["Indtag pr. uge", "Intakes per week"],
        .perMonth: ["Indtag pr. måned", "Intakes per month"],
        .bySite: ["Indtag pr. sted", "Intakes by site"],
        .byTarget: ["Henvisninger efter type", "Referrals by target"],
        .byKind: ["Situationsrapporter efter type og den krænkedes køn", "Incidents by kind and victim's gender"],
        .byGender: ["Unikke brugere pr. år fordelt på køn", "Distinct clients per year by gender"],
        .yearOnYear: ["Indtag pr. år mod året før", "Intakes per year against the year before"],
        .change: ["Ændring", "Change"],
        .statusTitle: ["Status", "Status"],
        .yearTitle: ["Årsopgørelse", "Yearly statistics"],
        .generated: ["Dannet af dcrctl document ud fra de registrerede hændelser", "Made by dcrctl document from the registered events"],
        .sharesNote: ["Andele er beregnet af de nøjagtige tal og afrundet hver for sig; de summerer derfor ikke altid til 100 %.",
                      "Shares are computed from the exact counts and rounded one by one, so they do not always add up to 100%."],
        .secondaryNote: ["×: skjult for at beskytte et andet lille tal", "×: suppressed to protect another small number"],
        .year: ["År", "Year"],
    ]

    static let words: [Language: [String: String]] = [
        .da: [
            "gender:male": "Mænd", "gender:female": "Kvinder", "gender:other": "Andet", "gender:unknown": "Ukendt",
            "victim-gender:male": "Mænd", "victim-gender:female": "Kvinder", "victim-gender:other": "Andet", "victim-gender:unknown": "Ukendt",
            "incident-kind:violence": "Vold", "incident-kind:theft": "Tyveri", "incident-kind:threat": "Trusler",
            "incident-kind:sexual-harassment": "Seksuel chikane", "incident-kind:sexual-assault": "Seksuelt overgreb",
            "incident-kind:rape": "Voldtægt", "incident-kind:overdose": "Overdosis",
            "incident-kind:needle-stick-injury": "Stikskade", "incident-kind:weapon": "Våben", "incident-kind:other": "Andet",
            "target:drug-treatment": "Misbrugsbehandling", "target:outreach-assessment": "Opsøgende udredning",
            "target:treatment-trial": "Behandlingsforsøg", "target:health-care": "Sundhedsvæsen", "target:housing": "Bolig",
            "target:social-services": "Socialforvaltning", "target:mental-health": "Psykiatri", "target:other": "Andet",
        ],
        .en: [
            "gender:male": "Men", "gender:female": "Women", "gender:other": "Other", "gender:unknown": "Unknown",
            "victim-gender:male": "Men", "victim-gender:female": "Women", "victim-gender:other": "Other", "victim-gender:unknown": "Unknown",
        ],
    ]

    static let months: [Language: [String]] = [
        .da: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    ]
}
