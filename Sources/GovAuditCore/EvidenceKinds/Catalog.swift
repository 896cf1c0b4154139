extension EvidenceCatalog {
    /// Every evidence kind of this build: what stored scans are read back with.
    public static let all = EvidenceCatalog([
        DNSResolution.self, ZoneFacts.self, Reachability.self, FamilyParity.self,
        TLSOffer.self, TLSCertificate.self, HTTPSFacts.self,
        LinkCrawl.self, LinkFindings.self, CloakingCheck.self,
    ])
}
