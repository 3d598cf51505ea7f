package dev.breakwater.admin;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /admin/config/reload}: the YAML chain file, re-read and applied without a restart. */
@Path("/admin/config")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class ConfigAdminResource {

    private final ConfigReloader reloader;

    public ConfigAdminResource(ConfigReloader reloader) {
        this.reloader = reloader;
    }

    @POST
    @Path("/reload")
    public ConfigReloader.ReloadResult reload() {
        return reloader.reload();
    }
}
