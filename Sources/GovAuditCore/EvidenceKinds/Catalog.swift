extension EvidenceCatalog {
    /// Every evidence kind this build writes: what stored evidence is read back with.
    public static let standard = EvidenceCatalog(merging: [.ipv6DNS, .tls, .tlsDepth, .tlsAddresses, .certificateNames, .links, .drift])
}
