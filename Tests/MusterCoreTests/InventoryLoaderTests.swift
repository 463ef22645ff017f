import MusterCore
import Testing

/// How `-i` sources combine: directories, several sources, and which format reads a file.
@Suite struct InventoryLoaderTests {
    @Test func aDirectoryIsItsFilesInNameOrderWithoutTheOnesAnsibleIgnores() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inv/b.yml", "web: {hosts: {from-yml: }}\n")
        try directory.write("inv/a.ini", "[web]\nfrom-ini\n")
        try directory.write("inv/c/nested", "[web]\nfrom-subdirectory\n")
        for ignored in ["README.md", "site.retry", "x.bak", "x~", ".hidden", "notes.txt", "ansible.cfg", "x.orig", "x.pyc"] {
            try directory.write("inv/\(ignored)", "[web]\nignored-\(ignored)\n")
        }
        try directory.write("inv/group_vars/web.yml", "from: group_vars\n")
        let inventory = try directory.load("inv")
        #expect(inventory.groups["web"]?.hosts == ["from-ini", "from-yml", "from-subdirectory"])
        #expect(inventory.host(named: "from-ini")?.vars == ["from": "group_vars"])
    }

    @Test func laterSourcesAddToEarlierOnes() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.ini", "[web]\nweb1 x=a y=a\n[web:vars]\ng=a\n")
        try directory.write("b.ini", "[web]\nweb2\n[dc:children]\nweb\n[web:vars]\ng=b\n")
        try directory.write("c.yml", "web: {hosts: {web1: {y: c}}}\n")
        let inventory = try directory.load("a.ini", "b.ini", "c.yml")
        #expect(inventory.groups["web"]?.hosts == ["web1", "web2"])
        #expect(inventory.groups["dc"]?.children == ["web"], "b.ini may name a group only a.ini defines")
        #expect(inventory.host(named: "web1")?.vars == ["x": "a", "y": "c", "g": "b"])
    }

    @Test func hostListsMixWithFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("hosts", "[web]\nweb1:2201\n")
        let inventory = try InventorySource.load([directory.path + "/hosts", "web1:2299,extra"])
        #expect(inventory.hostNames == ["web1", "extra"])
        #expect(inventory.host(named: "web1")?.vars == ["ansible_port": 2201], "a host seen before keeps its port")
    }

    @Test func formatsAreTriedInAnsiblesOrder() throws {
        let directory = try TemporaryDirectory()
        try directory.write("yaml-without-extension", "web: {hosts: {y1: }}\n")
        try directory.write("ini-named.yml", "[web]\ni1\n")
        try directory.write("empty.yml", "")
        try directory.write("inventory.cfg", "[web]\nc1\n")
        let inventory = try directory.load("yaml-without-extension", "ini-named.yml", "empty.yml", "inventory.cfg")
        #expect(inventory.groups["web"]?.hosts == ["y1", "i1", "c1"])
    }

    @Test func aFileNeitherFormatReadsGetsTheErrorOfTheFormatItsNameSuggests() throws {
        let directory = try TemporaryDirectory()
        let yaml = try directory.write("broken.yml", "web:\n  hosts: [\n")
        #expect(
            throws: InventoryError(
                source: yaml, line: 3, column: 1,
                message: "invalid YAML: did not find expected node content (while parsing a flow node at line 3, column 1)")
        ) {
            try directory.load("broken.yml")
        }
        let ini = try directory.write("broken", "[web\n")
        #expect(throws: InventoryError(source: ini, line: 1, column: 5, message: "expected ']' to close the group name")) {
            try directory.load("broken")
        }
        let toml = try directory.write("hosts.toml", "[web.hosts]\n")
        #expect(throws: InventoryError(source: toml, message: "TOML inventories are not supported; use INI or YAML")) {
            try directory.load("hosts.toml")
        }
        let plugin = try directory.write("aws.yml", "plugin: amazon.aws.aws_ec2\n")
        #expect(
            throws: InventoryError(
                source: plugin, line: 1, column: 1, message: "inventory plugin configurations ('plugin:') are not supported")
        ) {
            try directory.load("aws.yml")
        }
    }

    @Test func aBrokenFileInADirectoryStopsTheLoad() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inv/a.ini", "[web]\nweb1\n")
        let broken = try directory.write("inv/b.ini", "[web]\nweb[3:1]\n")
        #expect(throws: InventoryError(source: broken, line: 2, column: 4, message: "the host range [3:1] expands to no hosts")) {
            try directory.load("inv")
        }
    }
}
