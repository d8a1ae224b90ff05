// Tests run on the machine's Node 20; the function itself runs on Lambda's Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// The bundled functions log through Powertools straight to stdout, past Jest's console: quiet
// unless a test asks for their lines (those that read them set the level themselves).
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
