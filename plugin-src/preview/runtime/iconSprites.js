/**
 * Stands in for the base components' inline SVG icon libraries (`lightning/iconSvgTemplates*`,
 * ~25 MB of templates): without them `lightning-primitive-icon` renders SLDS's SVG sprites,
 * which the page server serves from @salesforce-ux/design-system at /assets/icons.
 */
export default null;
