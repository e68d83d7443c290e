import { PhaseDefinition } from '@prodready/plugin-readiness-common';
import { Route, Routes } from 'react-router-dom';
import { InitiativePage } from '../Initiatives/InitiativePage';
import { ReadinessPage } from './ReadinessPage';

/**
 * The readiness page and its sub-pages: the overview at its root, and the
 * detail view of each initiative at `initiatives/:id`.
 *
 * @public
 */
export function ReadinessRouter(props: {
  phases?: PhaseDefinition[];
  /** The height of the services table's scrolling body, in pixels. */
  tableHeight?: number;
}) {
  return (
    <Routes>
      <Route
        path="/"
        element={
          <ReadinessPage
            phases={props.phases}
            tableHeight={props.tableHeight}
          />
        }
      />
      <Route path="/initiatives/:id" element={<InitiativePage />} />
    </Routes>
  );
}
