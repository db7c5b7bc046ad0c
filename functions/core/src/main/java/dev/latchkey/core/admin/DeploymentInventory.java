package dev.latchkey.core.admin;

/**
 * Port: what an operator asks of a whole deployment rather than of one organization or user. Adapter:
 * {@code DynamoDbDeploymentInventory} (a scan of the table, so never on a request path: the admin CLI only).
 */
public interface DeploymentInventory {

    /**
     * Whether any account exists.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    boolean hasAccounts();

    /**
     * Every organization, in id order (a full read of the deployment: for operators, not requests).
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    java.util.List<OrganizationSummary> organizations();
}
