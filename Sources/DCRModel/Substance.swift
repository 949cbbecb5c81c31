/// The substance a client uses at an intake.
public enum Substance: Int32, RegisteredValue {
    case unspecified = 0, heroin, cocaine, crack, amphetamine, methamphetamine, methadone,
        opioidMedicine, benzodiazepine, ketamine, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: Substance { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .heroin: "heroin"
        case .cocaine: "cocaine"
        case .crack: "crack"
        case .amphetamine: "amphetamine"
        case .methamphetamine: "methamphetamine"
        case .methadone: "methadone"
        case .opioidMedicine: "opioid-medicine"
        case .benzodiazepine: "benzodiazepine"
        case .ketamine: "ketamine"
        case .other: "other"
        }
    }
}
