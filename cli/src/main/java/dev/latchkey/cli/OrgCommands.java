package dev.latchkey.cli;

import dev.latchkey.core.admin.OrganizationSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code latchkey org list}. */
@Command(name = "org", mixinStandardHelpOptions = true, description = "Lists organizations.")
final class OrgCommands extends CommandGroup {

    /** {@code latchkey org list}: every organization (a scan of the table). */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every organization.")
    static final class ListOrganizations extends AdminCommand {

        ListOrganizations(LatchkeyCli cli) {
            super(cli);
        }

        @Override
        int run(Deployment deployment, Output output) {
            List<OrganizationSummary> organizations = deployment.root().deploymentInventory().organizations();
            StringBuilder text = new StringBuilder(String.format("%-32s %-9s %-24s %s", "ID", "PERSONAL", "CREATED",
                    "NAME"));
            List<Map<String, Object>> json = organizations.stream().map(o -> {
                text.append(String.format("%n%-32s %-9s %-24s %s", o.id(), o.personal() ? "yes" : "no",
                        o.createdAt(), o.name()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", o.id());
                row.put("name", o.name());
                row.put("personal", o.personal());
                row.put("created_at", o.createdAt().toString());
                return row;
            }).toList();
            output.result(Map.of("organizations", json), text.toString());
            return ExitCodes.OK;
        }
    }
}
