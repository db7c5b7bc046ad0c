package dev.latchkey.infrastructure.deploy;

import dev.latchkey.infrastructure.deploy.ApiCatalog.FunctionSpec;
import dev.latchkey.core.http.Route;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code terraform/routes.json}: the one route declaration ({@link ApiCatalog}) as data Terraform reads with
 * {@code jsondecode(file(...))}, so its functions ({@code for_each}) and routes are never written twice in HCL.
 * Generated here, never by hand: {@code RouteDeclarationTest} fails while the committed file differs and rewrites it
 * when run with {@code -Dlatchkey.routes.write=true}.
 */
final class RoutesJson {

    /** Where the file lives, relative to the repository root. */
    static final String PATH = "terraform/routes.json";

    private RoutesJson() {
    }

    static Path path() {
        return TemplateYaml.repoRoot().resolve(PATH);
    }

    /** The file's expected text: stable order (the declaration's), two-space indent, a trailing newline. */
    static String render() {
        StringBuilder json = new StringBuilder();
        json.append("{\n");
        // Names the declaration by its simple name, so moving its package does not make this file stale.
        json.append("  \"generated_from\": ").append(quote(ApiCatalog.class.getSimpleName()
                + " by RouteDeclarationTest (-Dlatchkey.routes.write=true); do not edit")).append(",\n");
        json.append("  \"default_route_function\": ").append(quote(ApiCatalog.defaultRouteFunction().name()))
                .append(",\n");
        json.append("  \"functions\": {\n");
        List<FunctionSpec> functions = ApiCatalog.functions();
        for (int i = 0; i < functions.size(); i++) {
            FunctionSpec f = functions.get(i);
            json.append("    ").append(quote(f.name())).append(": {\n");
            json.append("      \"module\": ").append(quote(f.module())).append(",\n");
            json.append("      \"main_class\": ").append(quote(f.mainClass())).append(",\n");
            json.append("      \"trigger\": ").append(quote(f.trigger().name().toLowerCase(Locale.ROOT))).append(",\n");
            json.append("      \"routes\": [");
            List<Route> routes = f.routes();
            for (int r = 0; r < routes.size(); r++) {
                json.append(r == 0 ? "\n" : ",\n").append("        ").append(quote(routes.get(r).key()));
            }
            json.append(routes.isEmpty() ? "]\n" : "\n      ]\n");
            json.append("    }").append(i + 1 < functions.size() ? ",\n" : "\n");
        }
        json.append("  }\n");
        json.append("}\n");
        return json.toString();
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
