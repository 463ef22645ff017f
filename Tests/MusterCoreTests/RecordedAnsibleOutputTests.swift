import MusterCore
import Testing

/// The fixtures' `.ansible.json` files were recorded with `ansible-inventory -i X.ini --list`
/// (ansible-core 2.19.14), so these tests hold Muster to what Ansible really does.
@Suite struct RecordedAnsibleOutputTests {
    @Test(arguments: ["datacenter", "awkward"])
    func matchesRecordedAnsibleInventory(fixture: String) throws {
        let inventory = try InventorySource.load(fixturePath("\(fixture).ini"))
        #expect(try JSONReader.parse(InventoryViews.list(inventory)) == recordedAnsibleListing("\(fixture).ansible.json"))
    }

    @Test func hostsAreInOrderOfFirstAppearance() throws {
        let inventory = try InventorySource.load(fixturePath("datacenter.ini"))
        #expect(
            inventory.hostNames == [
                "bastion.example.com", "web01.dc1", "web02.dc1", "web03.dc1", "web04.dc1",
                "db-a.dc1", "db-b.dc1", "db-c.dc1", "db-d.dc1", "cache1.dc1", "cache3.dc1", "cache5.dc1",
            ])
    }
}
