// Builds the static assets the Django app serves (through whitenoise) into build/static/.
// Runs offline once node_modules is installed: no CDN is used at run time.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "vendor"), { recursive: true });

const css = compile(join(root, "frontend", "scss", "app.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "app.css"), css.css);

// GOV.UK Frontend's UMD bundle exposes window.GOVUKFrontend for our own app.js to initialise.
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "all.bundle.js"), join(out, "vendor", "govuk-frontend.js"));
// The source maps the bundles name: production's collectstatic (manifest storage) needs them.
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "all.bundle.js.map"), join(out, "vendor", "all.bundle.js.map"));
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "assets", "images"), join(out, "vendor", "govuk", "images"), { recursive: true });
cpSync(join(nm, "htmx.org", "dist", "htmx.min.js"), join(out, "vendor", "htmx.min.js"));
// Leaflet for the analysis page's interactive map (no tiles unless a tile URL is configured).
cpSync(join(nm, "leaflet", "dist", "leaflet.js"), join(out, "vendor", "leaflet", "leaflet.js"));
cpSync(join(nm, "leaflet", "dist", "leaflet.js.map"), join(out, "vendor", "leaflet", "leaflet.js.map"));
cpSync(join(nm, "leaflet", "dist", "leaflet.css"), join(out, "vendor", "leaflet", "leaflet.css"));
cpSync(join(nm, "leaflet", "dist", "images"), join(out, "vendor", "leaflet", "images"), { recursive: true });
console.log(`built assets in ${out}`);
