package io.rollcall.ingress.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc publishes at {@code /api/openapi.json} and {@code /api/docs}. Springdoc describes request and
 * response records with its own (Jackson 2) mapper, which knows nothing of {@link io.rollcall.json.Json}'s
 * snake_case naming: the model resolver here gives it the same naming, so the documented fields are the ones
 * clients send. The API key schemes let the page's "Authorize" button send a key. The server is the document's own
 * origin ({@code /}): springdoc would otherwise write the request's {@code Host} header into the document, and cache
 * that for every later reader.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    static {
        // A photo field is a base64 string on the wire; ImageText is only how the ingress holds it once read.
        SpringDocUtils.getConfig().replaceWithClass(ImageText.class, String.class);
    }

    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI rollcallApi() {
        return new OpenAPI()
                .servers(List.of(new Server().url("/").description("This server")))
                .info(new Info().title("Rollcall face recognition API").version("1")
                        .description("Face enrollment, recognition and attendance. Errors share one envelope: "
                                + "{success: false, error_code, message, details{suggestion}, request_id}."))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
                        .addSecuritySchemes("api_key", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("api_key"));
    }
}
