import GovAuditTestSupport

/// The service tests' inventory on the budget server: "nhanh" answers at once (404); with
/// `slow`, "chậm" trickles its page for 70 s (a scan still running when SIGTERM comes).
enum BudgetInventory {
    static func yaml(_ server: BudgetServer, slow: Bool = true, dossier: String = "approved") -> String {
        """
        version: 1
        name: "Hai hệ thống"
        agencies: [{id: a, name: "Sở Thông tin và Truyền thông"}]
        systems:
          - {id: nhanh, name: "Cổng nhanh", agency: a, level: 2, dossier: {status: \(dossier)},
             endpoints: ["http://127.0.0.1:\(server.webPort)/missing"]}
        """ + (slow ? """

          - {id: cham, name: "Cổng chậm", agency: a, level: 2, dossier: {status: approved},
             endpoints: ["http://127.0.0.1:\(server.webPort)/slow/"]}
        """ : "")
    }
}
