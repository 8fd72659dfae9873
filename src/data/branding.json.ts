// The company's branding for the site's QBR deck page (config `branding`, the logo inlined as a data: URL).
import {loadConfig, PROJECT_ROOT} from "../../data-loaders/config.js";
import {docBranding} from "../../data-loaders/documents/branding.js";

process.stdout.write(JSON.stringify(docBranding(loadConfig().branding, PROJECT_ROOT)));
