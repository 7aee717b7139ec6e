// mysql2 requires its optional `cardinal` (colours for its debug output) inside a try and goes on
// without it. The deployed bundle has no `cardinal`; this stands in for that absence inside the
// vitest plugin, which would otherwise report the failed lookup on every test file.
throw new Error("Cannot find module 'cardinal'");
