/**
 * Reduces one or more LDS, Apex, GraphQL or JavaScript errors into a list of messages a rep
 * can read. Shared by every Channel Ops component (as in trailheadapps/lwc-recipes).
 * @param {Object|Object[]} errors one error or a list of errors
 * @returns {String[]} the messages, without blanks
 */
export function reduceErrors(errors) {
    if (!Array.isArray(errors)) {
        errors = [errors];
    }
    return (
        errors
            .filter((error) => !!error)
            .map((error) => {
                // UI API read errors
                if (Array.isArray(error.body)) {
                    return error.body.map((e) => e.message);
                }
                // Page-level errors of UI API DML
                if (error?.body?.pageErrors && error.body.pageErrors.length > 0) {
                    return error.body.pageErrors.map((e) => e.message);
                }
                // Field-level errors of UI API DML
                if (error?.body?.fieldErrors && Object.keys(error.body.fieldErrors).length > 0) {
                    const fieldErrors = [];
                    Object.values(error.body.fieldErrors).forEach((errorArray) => {
                        fieldErrors.push(...errorArray.map((e) => e.message));
                    });
                    return fieldErrors;
                }
                // UI API DML page-level output errors
                if (error?.body?.output?.errors && error.body.output.errors.length > 0) {
                    return error.body.output.errors.map((e) => e.message);
                }
                // UI API DML field-level output errors
                if (error?.body?.output?.fieldErrors && Object.keys(error.body.output.fieldErrors).length > 0) {
                    const fieldErrors = [];
                    Object.values(error.body.output.fieldErrors).forEach((errorArray) => {
                        fieldErrors.push(...errorArray.map((e) => e.message));
                    });
                    return fieldErrors;
                }
                // GraphQL errors
                if (Array.isArray(error.graphQLErrors) || (Array.isArray(error) && error[0]?.message)) {
                    return (error.graphQLErrors || error).map((e) => e.message);
                }
                // UI API DML, Apex and network errors
                if (error.body && typeof error.body.message === 'string') {
                    return error.body.message;
                }
                // JS errors
                if (typeof error.message === 'string') {
                    return error.message;
                }
                // Unknown error shape: show its status text if any
                return error.statusText;
            })
            // Flatten, then drop empty messages
            .reduce((prev, curr) => prev.concat(curr), [])
            .filter((message) => !!message)
    );
}
