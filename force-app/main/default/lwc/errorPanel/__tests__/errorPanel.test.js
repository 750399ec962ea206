import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    function render(props) {
        const element = createElement('c-error-panel', { is: ErrorPanel });
        Object.assign(element, props);
        document.body.appendChild(element);
        return element;
    }

    it('shows the friendly message and, on request, each error message', async () => {
        // Given an error panel with two errors
        const element = render({
            friendlyMessage: 'Could not load conflicts.',
            errors: [{ body: { message: 'Insufficient access' } }, new Error('timeout')]
        });
        // Then the friendly message is shown and the details are hidden
        expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('Could not load conflicts.');
        expect(element.shadowRoot.querySelector('.error-details')).toBeNull();
        // When the rep asks for details
        element.shadowRoot.querySelector('.details-toggle').click();
        await Promise.resolve();
        // Then each message is listed
        const items = [...element.shadowRoot.querySelectorAll('.error-details li')].map((li) => li.textContent);
        expect(items).toEqual(['Insufficient access', 'timeout']);
    });

    it('offers no details toggle when there is no message', () => {
        const element = render({ errors: [{}] });
        expect(element.shadowRoot.querySelector('.details-toggle')).toBeNull();
    });

    it('is accessible', async () => {
        const element = render({ errors: [new Error('x')] });
        await expect(element).toBeAccessible();
    });
});
