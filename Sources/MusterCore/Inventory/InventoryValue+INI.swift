extension InventoryValue {
    /// Types an INI value as Ansible does, with Python's `ast.literal_eval`: `42`, `1.5`, `True`,
    /// `None`, `'quoted'`, `[1, 'a']` and `{'k': 1}` become typed values, and anything that is
    /// not a Python literal (`yes`, `true`, `hello world`, `0022`) stays the text it was.
    init(iniValue text: String) {
        var parser = PythonLiteralParser(text)
        self = parser.parseWhole() ?? .string(text)
    }
}
