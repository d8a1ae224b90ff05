// Tests run on the machine's Node 20; the function itself runs on Lambda's Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
