package io.rollcall.ingress.admin;

import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin page for school staff: static HTML, CSS and JavaScript from the jar ({@code classpath:/admin/}), served
 * at {@code /admin/}. The page holds no data and needs no key to load; it calls the documented API with the key the
 * user signs in with, so every check of the API applies to it unchanged. Its headers are {@link AdminPageHeaders}'.
 */
@Configuration(proxyBeanMethods = false)
public class AdminPage implements WebMvcConfigurer {
    private static final String PATH = "/admin";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Revalidated on every load (ETag / Last-Modified), so an upgraded jar's page is never mixed with a cached script.
        registry.addResourceHandler(PATH + "/**")
                .addResourceLocations("classpath:/admin/")
                .setCacheControl(CacheControl.maxAge(0, TimeUnit.SECONDS).mustRevalidate());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // Relative links in the page (admin.css, admin.js) need the trailing slash.
        registry.addRedirectViewController(PATH, PATH + "/");
        registry.addViewController(PATH + "/").setViewName("forward:" + PATH + "/index.html");
    }
}
