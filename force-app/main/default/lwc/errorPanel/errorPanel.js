import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/** Shows errors from data reads or writes in a way a rep can act on. */
export default class ErrorPanel extends LightningElement {
    /** A short, friendly message shown above the details. */
    @api friendlyMessage = 'Something went wrong while loading this data.';
    /** One error or a list of errors (LDS, GraphQL, JS). */
    @api errors;

    viewDetails = false;

    get errorMessages() {
        return reduceErrors(this.errors);
    }

    get hasDetails() {
        return this.errorMessages.length > 0;
    }

    handleShowDetailsClick() {
        this.viewDetails = !this.viewDetails;
    }
}
