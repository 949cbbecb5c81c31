/// Where staff referred a client (the documents' "bridges" to other help, Figure 2).
public enum ReferralTarget: Int32, RegisteredValue {
    case unspecified = 0, drugTreatment, outreachAssessment, treatmentTrial, healthCare, housing,
        socialServices, mentalHealth, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: ReferralTarget { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .drugTreatment: "drug-treatment"
        case .outreachAssessment: "outreach-assessment"
        case .treatmentTrial: "treatment-trial"
        case .healthCare: "health-care"
        case .housing: "housing"
        case .socialServices: "social-services"
        case .mentalHealth: "mental-health"
        case .other: "other"
        }
    }
}
