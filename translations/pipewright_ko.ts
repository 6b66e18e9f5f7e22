<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <source>Cannot write %1</source>
        <translation>%1에 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>The picture would be too large (%1×%2 px)</source>
        <translation>그림이 너무 큽니다(%1×%2 px)</translation>
    </message>
    <message>
        <source>Cannot open flow</source>
        <translation>플로를 열 수 없습니다</translation>
    </message>
</context>
<context>
    <name>pw::BackfillDialog</name>
    <message>
        <source>Backfill %1</source>
        <translation>%1 백필</translation>
    </message>
    <message>
        <source>Backfill runs active at once</source>
        <translation>동시에 진행할 백필 실행 수</translation>
    </message>
    <message>
        <source>From</source>
        <translation>시작일</translation>
    </message>
    <message>
        <source>To</source>
        <translation>종료일</translation>
    </message>
    <message>
        <source>Max active runs</source>
        <translation>최대 동시 실행 수</translation>
    </message>
    <message>
        <source>Start Backfill</source>
        <translation>백필 시작</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>시작일이 종료일보다 늦습니다.</translation>
    </message>
    <message>
        <source>No schedule times in this range: no runs will be created.</source>
        <translation>이 기간에는 스케줄 시각이 없어 실행을 만들지 않습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Will create %n run(s), oldest first.</source>
        <translation><numerusform>실행 %n개를 오래된 것부터 만듭니다.</numerusform></translation>
    </message>
    <message>
        <source>The engine is not running.</source>
        <translation>엔진이 실행 중이 아닙니다.</translation>
    </message>
    <message>
        <source>Recovering run %1 (%2)</source>
        <translation>실행 %1 복구 중 (%2)</translation>
    </message>
    <message>
        <source>Started run %1 (%2)</source>
        <translation>실행 %1 시작 (%2)</translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation>%1 거부됨: %2</translation>
    </message>
    <message>
        <source>Backfill of %1 %2: %3 succeeded, %4 failed, %5 skipped, %6 refused</source>
        <translation>%1 백필 %2: 성공 %3, 실패 %4, 건너뜀 %5, 거부 %6</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Cannot start the backfill: %1</source>
        <translation>백필을 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Cancel Backfill</source>
        <translation>백필 취소</translation>
    </message>
    <message>
        <source>Backfill of %1: %2 of %3 runs done</source>
        <translation>%1 백필: 실행 %3개 중 %2개 완료</translation>
    </message>
    <message>
        <source>Cancelling the backfill…</source>
        <translation>백필을 취소하는 중…</translation>
    </message>
</context>
<context>
    <name>pw::ChartsWidget</name>
    <message>
        <source>Gantt</source>
        <translation>간트</translation>
    </message>
    <message>
        <source>Durations</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>일별</translation>
    </message>
    <message>
        <source>Select a run to see its timeline</source>
        <translation>실행을 선택하면 타임라인이 보입니다</translation>
    </message>
    <message>
        <source>Run %1 has no attempts yet</source>
        <translation>실행 %1에는 아직 시도가 없습니다</translation>
    </message>
    <message>
        <source>Run %1 · attempts over time</source>
        <translation>실행 %1 · 시간별 시도</translation>
    </message>
    <message>
        <source>%1 · runs per day</source>
        <translation>%1 · 일별 실행</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>축소</translation>
    </message>
    <message>
        <source>Zoom out the time axis (-, Ctrl+wheel)</source>
        <translation>시간 축 축소(-, Ctrl+휠)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>Zoom in the time axis (+, Ctrl+wheel)</source>
        <translation>시간 축 확대(+, Ctrl+휠)</translation>
    </message>
    <message>
        <source>Whole run</source>
        <translation>전체 실행</translation>
    </message>
    <message>
        <source>Show the whole run (0)</source>
        <translation>실행 전체 보기(0)</translation>
    </message>
    <message>
        <source>%1 · task durations in the last run</source>
        <translation>%1 · 최근 실행의 태스크 소요 시간</translation>
    </message>
    <message numerus="yes">
        <source>%1 · task durations over the last %n runs</source>
        <translation><numerusform>%1 · 최근 실행 %n개의 태스크 소요 시간</numerusform></translation>
    </message>
    <message>
        <source>duration (%1)</source>
        <translation>소요 시간(%1)</translation>
    </message>
</context>
<context>
    <name>pw::Commands</name>
    <message>
        <source>Connect %1 → %2</source>
        <translation>%1 → %2 연결</translation>
    </message>
    <message>
        <source>Disconnect %1 → %2</source>
        <translation>%1 → %2 연결 해제</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 삭제</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n tasks</source>
        <translation><numerusform>태스크 %n개 삭제</numerusform></translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>%1 이름을 %2(으)로 변경</translation>
    </message>
    <message>
        <source>Change flow %1</source>
        <translation>플로 %1 변경</translation>
    </message>
    <message>
        <source>Change %1 of %2</source>
        <translation>%2의 %1 변경</translation>
    </message>
</context>
<context>
    <name>pw::DocumentController</name>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>New flow</source>
        <translation>새 플로</translation>
    </message>
    <message numerus="yes">
        <source>Opened %1 (%n task(s))</source>
        <translation><numerusform>%1을(를) 열었습니다 (태스크 %n개)</numerusform></translation>
    </message>
    <message>
        <source>Unknown export format %1 (yaml, json, dot, svg, png)</source>
        <translation>알 수 없는 내보내기 형식 %1 (yaml, json, dot, svg, png)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경 사항</translation>
    </message>
    <message>
        <source>“%1” has unsaved changes. Save them?</source>
        <translation>“%1”에 저장하지 않은 변경 사항이 있습니다. 저장할까요?</translation>
    </message>
    <message>
        <source>Open flow</source>
        <translation>플로 열기</translation>
    </message>
    <message>
        <source>Flows (*.flow.yaml *.flow.yml *.flow.json *.yaml *.yml *.json);;All files (*)</source>
        <translation>플로 (*.flow.yaml *.flow.yml *.flow.json *.yaml *.yml *.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot open flow</source>
        <translation>플로를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Save flow as</source>
        <translation>다른 이름으로 플로 저장</translation>
    </message>
    <message>
        <source>Flow YAML (*.flow.yaml);;Flow JSON (*.flow.json)</source>
        <translation>플로 YAML (*.flow.yaml);;플로 JSON (*.flow.json)</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>되돌리기</translation>
    </message>
    <message>
        <source>Discard all changes since the last save?</source>
        <translation>마지막 저장 이후의 변경 사항을 모두 버릴까요?</translation>
    </message>
    <message>
        <source>Cannot revert</source>
        <translation>되돌릴 수 없습니다</translation>
    </message>
    <message>
        <source>YAML (*.flow.yaml)</source>
        <translation>YAML (*.flow.yaml)</translation>
    </message>
    <message>
        <source>JSON (*.flow.json)</source>
        <translation>JSON (*.flow.json)</translation>
    </message>
    <message>
        <source>Graphviz DOT (*.dot)</source>
        <translation>Graphviz DOT (*.dot)</translation>
    </message>
    <message>
        <source>SVG picture (*.svg)</source>
        <translation>SVG 그림 (*.svg)</translation>
    </message>
    <message>
        <source>PNG picture (*.png)</source>
        <translation>PNG 그림 (*.png)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1을(를) 내보냈습니다</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>Its id is now '%1', from the file name (change it in the flow settings).</source>
        <translation>ID가 파일 이름에 따라 '%1'(으)로 바뀌었습니다 (플로 설정에서 바꿀 수 있습니다).</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1을(를) 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>pw::DurationEdit</name>
    <message>
        <source>%1 (e.g. 30s, 5m, 1h30m, 1d)</source>
        <translation>%1 (예: 30s, 5m, 1h30m, 1d)</translation>
    </message>
</context>
<context>
    <name>pw::FlowDocument</name>
    <message>
        <source>Unknown task</source>
        <translation>알 수 없는 태스크</translation>
    </message>
    <message>
        <source>A task cannot run after itself</source>
        <translation>태스크는 자기 자신 뒤에 실행될 수 없습니다</translation>
    </message>
    <message>
        <source>%1 already runs after %2</source>
        <translation>%1은(는) 이미 %2 뒤에 실행됩니다</translation>
    </message>
    <message>
        <source>%1 -&gt; %2 would create a cycle: %2 already leads to %1</source>
        <translation>%1 -&gt; %2는 순환을 만듭니다: %2에서 이미 %1(으)로 이어집니다</translation>
    </message>
</context>
<context>
    <name>pw::FlowInspector</name>
    <message>
        <source>Flow settings — select a task to edit it</source>
        <translation>플로 설정 — 태스크를 선택하면 태스크를 편집합니다</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>플로</translation>
    </message>
    <message>
        <source>Letters, digits, _ . - only; must not start with . or -</source>
        <translation>영문자, 숫자, _ . - 만 쓸 수 있고 . 또는 -로 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>Choices</source>
        <translation>선택지</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>파라미터 추가</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <source>not scheduled (e.g. 0 3 * * *)</source>
        <translation>스케줄 없음 (예: 0 3 * * *)</translation>
    </message>
    <message>
        <source>Unknown time zone</source>
        <translation>알 수 없는 시간대</translation>
    </message>
    <message>
        <source>Run missed schedules (catch up)</source>
        <translation>놓친 스케줄 실행 (catch up)</translation>
    </message>
    <message>
        <source>A date like 2026-11-01</source>
        <translation>2026-11-01 형식의 날짜</translation>
    </message>
    <message>
        <source>none (e.g. -1d)</source>
        <translation>없음 (예: -1d)</translation>
    </message>
    <message>
        <source>Cron</source>
        <translation>Cron</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>시간대</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>오프셋</translation>
    </message>
    <message>
        <source>Limits and pools</source>
        <translation>제한과 풀</translation>
    </message>
    <message>
        <source>engine default</source>
        <translation>엔진 기본값</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>무제한</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>풀</translation>
    </message>
    <message>
        <source>Slots</source>
        <translation>슬롯</translation>
    </message>
    <message>
        <source>Add pool</source>
        <translation>풀 추가</translation>
    </message>
    <message>
        <source>Max parallel</source>
        <translation>최대 병렬 수</translation>
    </message>
    <message>
        <source>Max active runs</source>
        <translation>최대 동시 실행 수</translation>
    </message>
    <message>
        <source>Pools</source>
        <translation>풀</translation>
    </message>
    <message>
        <source>Task defaults</source>
        <translation>태스크 기본값</translation>
    </message>
    <message>
        <source>Notifications and SLA</source>
        <translation>알림과 SLA</translation>
    </message>
    <message>
        <source>none (e.g. 2h)</source>
        <translation>없음 (예: 2h)</translation>
    </message>
    <message>
        <source>A local time like 06:30</source>
        <translation>06:30 형식의 현지 시각</translation>
    </message>
    <message>
        <source>Notify on</source>
        <translation>알림 시점</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>명령</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>웹훅</translation>
    </message>
    <message>
        <source>SLA duration</source>
        <translation>SLA 소요 시간</translation>
    </message>
    <message>
        <source>SLA time</source>
        <translation>SLA 시각</translation>
    </message>
    <message>
        <source>a, b, c (choice parameters)</source>
        <translation>a, b, c (choice 파라미터)</translation>
    </message>
    <message>
        <source>shown in the run dialog</source>
        <translation>실행 대화상자에 표시됩니다</translation>
    </message>
</context>
<context>
    <name>pw::FlowScene</name>
    <message>
        <source>Add %1</source>
        <translation>%1 추가</translation>
    </message>
    <message>
        <source>Delete connections</source>
        <translation>연결 삭제</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 삭제</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n tasks</source>
        <translation><numerusform>태스크 %n개 삭제</numerusform></translation>
    </message>
    <message>
        <source>clipboard</source>
        <translation>클립보드</translation>
    </message>
    <message>
        <source>Cannot paste: %1</source>
        <translation>붙여 넣을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>not a flow</source>
        <translation>플로가 아닙니다</translation>
    </message>
    <message>
        <source>Paste %1</source>
        <translation>%1 붙여넣기</translation>
    </message>
    <message numerus="yes">
        <source>Paste %n tasks</source>
        <translation><numerusform>태스크 %n개 붙여넣기</numerusform></translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>자동 배치</translation>
    </message>
    <message>
        <source>“%1” is not a valid task id (letters, digits, _ . -; not starting with . or -)</source>
        <translation>“%1”은(는) 올바른 태스크 ID가 아닙니다 (영문자, 숫자, _ . -; . 또는 -로 시작 불가)</translation>
    </message>
    <message>
        <source>A task named “%1” already exists</source>
        <translation>“%1” 태스크가 이미 있습니다</translation>
    </message>
    <message>
        <source>Move %1</source>
        <translation>%1 이동</translation>
    </message>
    <message numerus="yes">
        <source>Move %n tasks</source>
        <translation><numerusform>태스크 %n개 이동</numerusform></translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>연결할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Connected %1 → %2</source>
        <translation>%1 → %2 연결됨</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>연결하지 않음: %1</translation>
    </message>
    <message>
        <source>Duplicate %1</source>
        <translation>%1 복제</translation>
    </message>
    <message numerus="yes">
        <source>Duplicate %n tasks</source>
        <translation><numerusform>태스크 %n개 복제</numerusform></translation>
    </message>
</context>
<context>
    <name>pw::FlowView</name>
    <message>
        <source>Drag a task type from the Palette, or press Tab to add a task.
Connect tasks by dragging from an output port ● to another task.</source>
        <translation>팔레트에서 태스크 유형을 끌어 놓거나 Tab 키를 눌러 태스크를 추가하세요.
출력 포트 ●에서 다른 태스크로 끌어 연결합니다.</translation>
    </message>
</context>
<context>
    <name>pw::ForeignRunNotifier</name>
    <message>
        <source>Run %1 %2</source>
        <translation>실행 %1 %2</translation>
    </message>
</context>
<context>
    <name>pw::GanttView</name>
    <message>
        <source>%1 · attempt %2 (try %3) · %4
%5 – %6 (%7)%8%9</source>
        <translation>%1 · 시도 %2 (회차 %3) · %4
%5 – %6 (%7)%8%9</translation>
    </message>
    <message>
        <source>now</source>
        <translation>지금</translation>
    </message>
    <message>
        <source>
exit code %1</source>
        <translation>
종료 코드 %1</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>현지 시각</translation>
    </message>
</context>
<context>
    <name>pw::HistoryReader</name>
    <message>
        <source>No history yet (%1 does not exist)</source>
        <translation>아직 기록이 없습니다(%1 없음)</translation>
    </message>
</context>
<context>
    <name>pw::InspectorFormBase</name>
    <message numerus="yes">
        <source>Change %1 of %n tasks</source>
        <translation><numerusform>태스크 %n개의 %1 변경</numerusform></translation>
    </message>
    <message>
        <source>mixed</source>
        <translation>여러 값</translation>
    </message>
</context>
<context>
    <name>pw::LogView</name>
    <message>
        <source>Search the log…</source>
        <translation>로그 검색…</translation>
    </message>
    <message>
        <source>No log</source>
        <translation>로그 없음</translation>
    </message>
    <message>
        <source>[… only the last 4 MiB are shown …]</source>
        <translation>[… 마지막 4 MiB만 표시합니다 …]</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1개 일치</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1개 일치</translation>
    </message>
    <message>
        <source>no output yet</source>
        <translation>아직 출력 없음</translation>
    </message>
    <message>
        <source>no output</source>
        <translation>출력 없음</translation>
    </message>
</context>
<context>
    <name>pw::MainWindow</name>
    <message>
        <source>Add a task…</source>
        <translation>태스크 추가…</translation>
    </message>
    <message>
        <source>Find a task by name…</source>
        <translation>이름으로 태스크 찾기…</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>되돌리기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>잘라내기(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>복사(&amp;C)</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n task(s) as YAML</source>
        <translation><numerusform>태스크 %n개를 YAML로 복사했습니다</numerusform></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>복제(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>삭제(&amp;D)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>모두 선택(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>이름 바꾸기(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Find Task…</source>
        <translation>태스크 찾기(&amp;F)…</translation>
    </message>
    <message>
        <source>Add &amp;Task…</source>
        <translation>태스크 추가(&amp;T)…</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>자동 배치(&amp;L)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>확대(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>축소(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>창에 맞추기(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>실제 크기(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Snap to Grid</source>
        <translation>격자에 맞추기(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Minimap</source>
        <translation>미니맵(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Dark Theme</source>
        <translation>어두운 테마(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>실행 취소(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>키보드 단축키(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>키보드 단축키</translation>
    </message>
    <message>
        <source>&lt;table cellpadding=3&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Tab&lt;/b&gt;, double-click canvas&lt;/td&gt;&lt;td&gt;add a task&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;drag output ● to a task&lt;/td&gt;&lt;td&gt;connect&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Del&lt;/b&gt;&lt;/td&gt;&lt;td&gt;delete selection&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+C / X / V&lt;/b&gt;&lt;/td&gt;&lt;td&gt;copy, cut, paste (YAML)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+D&lt;/b&gt;&lt;/td&gt;&lt;td&gt;duplicate&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F2&lt;/b&gt;&lt;/td&gt;&lt;td&gt;rename&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+F&lt;/b&gt;&lt;/td&gt;&lt;td&gt;find a task&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+L&lt;/b&gt;&lt;/td&gt;&lt;td&gt;auto layout&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+wheel&lt;/b&gt;, &lt;b&gt;Ctrl+0&lt;/b&gt;&lt;/td&gt;&lt;td&gt;zoom, fit&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;middle-drag, &lt;b&gt;Space&lt;/b&gt;+drag&lt;/td&gt;&lt;td&gt;pan&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellpadding=3&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Tab&lt;/b&gt;, 캔버스 더블클릭&lt;/td&gt;&lt;td&gt;태스크 추가&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;출력 ●을 태스크로 끌기&lt;/td&gt;&lt;td&gt;연결&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Del&lt;/b&gt;&lt;/td&gt;&lt;td&gt;선택 항목 삭제&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+C / X / V&lt;/b&gt;&lt;/td&gt;&lt;td&gt;복사, 잘라내기, 붙여넣기 (YAML)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+D&lt;/b&gt;&lt;/td&gt;&lt;td&gt;복제&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F2&lt;/b&gt;&lt;/td&gt;&lt;td&gt;이름 바꾸기&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+F&lt;/b&gt;&lt;/td&gt;&lt;td&gt;태스크 찾기&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+L&lt;/b&gt;&lt;/td&gt;&lt;td&gt;자동 배치&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+휠&lt;/b&gt;, &lt;b&gt;Ctrl+0&lt;/b&gt;&lt;/td&gt;&lt;td&gt;확대/축소, 맞추기&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;가운데 버튼 끌기, &lt;b&gt;Space&lt;/b&gt;+끌기&lt;/td&gt;&lt;td&gt;화면 이동&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>&amp;About Pipewright</source>
        <translation>Pipewright 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About Pipewright</source>
        <translation>Pipewright 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Pipewright %1&lt;/h3&gt;&lt;p&gt;Desktop workflow designer and runner for data pipelines.&lt;/p&gt;&lt;p&gt;Licensed under the Apache License 2.0.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Pipewright %1&lt;/h3&gt;&lt;p&gt;데이터 파이프라인을 위한 데스크톱 워크플로 디자이너이자 실행기입니다.&lt;/p&gt;&lt;p&gt;Apache License 2.0으로 배포됩니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>팔레트</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>속성</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>문제</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;열림&gt;</translation>
    </message>
    <message>
        <source>Undo History</source>
        <translation>편집 기록</translation>
    </message>
    <message>
        <source>✓ valid</source>
        <translation>✓ 유효함</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation><numerusform>문제 %n개</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n task(s)</source>
        <translation><numerusform>태스크 %n개</numerusform></translation>
    </message>
    <message>
        <source>Delete Connection</source>
        <translation>연결 삭제</translation>
    </message>
    <message>
        <source>Add Task</source>
        <translation>태스크 추가</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>레이아웃 초기화(&amp;R)</translation>
    </message>
    <message>
        <source>Run the flow with parameters (F5)</source>
        <translation>파라미터를 정해 플로 실행 (F5)</translation>
    </message>
    <message>
        <source>Cancel the shown run (or the newest active run)</source>
        <translation>표시된 실행(또는 가장 최근의 진행 중인 실행) 취소</translation>
    </message>
    <message>
        <source>Runs are not available: %1</source>
        <translation>실행 기능을 쓸 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Runs are still running</source>
        <translation>실행이 아직 진행 중입니다</translation>
    </message>
    <message>
        <source>Runs started here are still running (%1). Closing Pipewright cancels them.</source>
        <translation>여기서 시작한 실행이 아직 진행 중입니다(%1개). Pipewright를 닫으면 취소됩니다.</translation>
    </message>
    <message>
        <source>Cancel Runs and Close</source>
        <translation>실행 취소 후 닫기</translation>
    </message>
    <message>
        <source>Keep Open</source>
        <translation>열어 두기</translation>
    </message>
    <message>
        <source>&amp;Backfill…</source>
        <translation>백필(&amp;B)…</translation>
    </message>
    <message>
        <source>Create one run per schedule date (or per day) in a date range</source>
        <translation>기간 안의 스케줄 날짜마다(스케줄이 없으면 하루마다) 실행을 하나씩 만듭니다</translation>
    </message>
    <message>
        <source>The engine is not running.</source>
        <translation>엔진이 실행 중이 아닙니다.</translation>
    </message>
    <message>
        <source>The flow has no tasks to run.</source>
        <translation>실행할 태스크가 없습니다.</translation>
    </message>
    <message>
        <source>Fix the problems of the flow before running it (see Problems).</source>
        <translation>실행하기 전에 플로의 문제를 고치세요(문제 패널 참고).</translation>
    </message>
    <message>
        <source>Save the flow first: its folder is where its tasks run.</source>
        <translation>먼저 플로를 저장하세요. 태스크는 플로 파일의 폴더에서 실행됩니다.</translation>
    </message>
    <message>
        <source>Scheduler running for %1</source>
        <translation>%1의 스케줄러 실행 중</translation>
    </message>
    <message>
        <source>Cannot start the scheduler: %1</source>
        <translation>스케줄러를 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The scheduler stopped: %1</source>
        <translation>스케줄러가 멈췄습니다: %1</translation>
    </message>
    <message>
        <source>Scheduled run %1 of %2 started</source>
        <translation>%2의 예약 실행 %1을(를) 시작했습니다</translation>
    </message>
    <message>
        <source>Run &amp;Scheduler</source>
        <translation>스케줄러 실행(&amp;S)</translation>
    </message>
    <message>
        <source>Create the scheduled runs of this flow's file while Pipewright is open</source>
        <translation>Pipewright가 열려 있는 동안 이 플로 파일의 예약 실행을 만듭니다</translation>
    </message>
    <message>
        <source>Scheduler stopped</source>
        <translation>스케줄러를 멈췄습니다</translation>
    </message>
    <message>
        <source>Save the flow first: the scheduler reads its file.</source>
        <translation>먼저 플로를 저장하세요. 스케줄러는 파일을 읽습니다.</translation>
    </message>
    <message>
        <source>schedule: error</source>
        <translation>스케줄: 오류</translation>
    </message>
    <message>
        <source>next: none</source>
        <translation>다음: 없음</translation>
    </message>
    <message>
        <source>next: %1</source>
        <translation>다음: %1</translation>
    </message>
    <message>
        <source>Next scheduled run (%1); the scheduler is running</source>
        <translation>다음 예약 실행 (%1). 스케줄러 실행 중</translation>
    </message>
    <message>
        <source>Next scheduled run (%1); the scheduler is off (Run &gt; Run Scheduler)</source>
        <translation>다음 예약 실행 (%1). 스케줄러 꺼짐 (실행 &gt; 스케줄러 실행)</translation>
    </message>
    <message>
        <source>Notify About Other Processes' Runs of This Flow</source>
        <translation>이 플로의 다른 프로세스 실행 알림</translation>
    </message>
    <message>
        <source>Show a notification when a run of this flow started by another process (CLI, scheduler) ends</source>
        <translation>다른 프로세스(CLI, 스케줄러)가 시작한 이 플로의 실행이 끝나면 알림을 표시합니다</translation>
    </message>
    <message numerus="yes">
        <source>✓ valid · %n warning(s)</source>
        <translation><numerusform>✓ 유효 · 경고 %n개</numerusform></translation>
    </message>
    <message>
        <source>Trust and Backfill</source>
        <translation>신뢰하고 백필</translation>
    </message>
    <message>
        <source>Trust and Schedule</source>
        <translation>신뢰하고 스케줄</translation>
    </message>
    <message>
        <source>Cannot tell whether this flow is trusted: %1</source>
        <translation>이 플로의 신뢰 여부를 알 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Nothing was run: the flow is not trusted.</source>
        <translation>실행하지 않았습니다. 플로를 신뢰하지 않았습니다.</translation>
    </message>
    <message>
        <source>Trusted this time only: %1</source>
        <translation>이번만 신뢰했습니다: %1</translation>
    </message>
    <message>
        <source>Saved, but its trust was not recorded: %1</source>
        <translation>저장했지만 신뢰를 기록하지 못했습니다: %1</translation>
    </message>
</context>
<context>
    <name>pw::NiceTicks</name>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>s</source>
        <translation>초</translation>
    </message>
    <message>
        <source>min</source>
        <translation>분</translation>
    </message>
    <message>
        <source>h</source>
        <translation>시간</translation>
    </message>
</context>
<context>
    <name>pw::NodeItem</name>
    <message>
        <source>retries %1</source>
        <translation>재시도 %1</translation>
    </message>
    <message>
        <source>pool %1</source>
        <translation>풀 %1</translation>
    </message>
    <message>
        <source>priority %1</source>
        <translation>우선순위 %1</translation>
    </message>
</context>
<context>
    <name>pw::NodeRunBadge</name>
    <message>
        <source>marked by %1</source>
        <translation>%1이(가) 표시함</translation>
    </message>
    <message>
        <source>attempt %1/%2 · %3</source>
        <translation>시도 %1/%2 · %3</translation>
    </message>
    <message>
        <source>retry in %1</source>
        <translation>%1 후 재시도</translation>
    </message>
    <message>
        <source>#%1 in queue</source>
        <translation>대기열 %1번째</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>대기열</translation>
    </message>
    <message>
        <source>marked succeeded</source>
        <translation>성공으로 표시됨</translation>
    </message>
    <message>
        <source>%1 · attempt %2/%3</source>
        <translation>%1 · 시도 %2/%3</translation>
    </message>
    <message>
        <source>waiting for %1 (checked %2 ago)</source>
        <translation>%1 대기 중 (%2 전에 확인)</translation>
    </message>
    <message>
        <source>confirm</source>
        <translation>확인 필요</translation>
    </message>
</context>
<context>
    <name>pw::PaletteWidget</name>
    <message>
        <source>Search task types…</source>
        <translation>태스크 유형 검색…</translation>
    </message>
    <message>
        <source>Drag onto the canvas, or double-click to add at the centre</source>
        <translation>캔버스로 끌어 놓거나 더블클릭하면 가운데에 추가됩니다</translation>
    </message>
</context>
<context>
    <name>pw::ParamsDialog</name>
    <message>
        <source>Run %1</source>
        <translation>%1 실행</translation>
    </message>
    <message>
        <source>This flow has no parameters.</source>
        <translation>이 플로에는 파라미터가 없습니다.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Looking for an earlier run with these parameters…</source>
        <translation>같은 파라미터의 이전 실행을 찾는 중…</translation>
    </message>
    <message>
        <source>Cannot check earlier runs: %1</source>
        <translation>이전 실행을 확인할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>No run with these parameters yet.</source>
        <translation>이 파라미터로 실행한 적이 아직 없습니다.</translation>
    </message>
    <message>
        <source>Run %1 with these parameters ended %2 (%3). Recovering it runs its failed tasks and everything after them again and keeps the succeeded ones.</source>
        <translation>이 파라미터의 실행 %1이(가) %2 상태로 끝났습니다(%3). 복구하면 실패한 태스크와 그 뒤의 모든 태스크를 다시 실행하고 성공한 태스크는 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Recover run %1</source>
        <translation>실행 %1 복구</translation>
    </message>
    <message>
        <source>Run %1 with these parameters succeeded (%2). Running it again runs all of its tasks again.</source>
        <translation>이 파라미터의 실행 %1은(는) 성공했습니다(%2). 다시 실행하면 모든 태스크를 다시 실행합니다.</translation>
    </message>
    <message>
        <source>Run all tasks again</source>
        <translation>모든 태스크 다시 실행</translation>
    </message>
    <message>
        <source>Run %1 with these parameters is %2 (since %3). Wait for it or cancel it first.</source>
        <translation>이 파라미터의 실행 %1이(가) %2 상태입니다(%3부터). 끝날 때까지 기다리거나 먼저 취소하세요.</translation>
    </message>
</context>
<context>
    <name>pw::ProblemsWidget</name>
    <message>
        <source>Problem</source>
        <translation>문제</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>태스크</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>위치</translation>
    </message>
    <message>
        <source>Warning (the flow still runs): %1</source>
        <translation>경고 (플로는 그대로 실행됩니다): %1</translation>
    </message>
    <message>
        <source>No problems</source>
        <translation>문제 없음</translation>
    </message>
</context>
<context>
    <name>pw::RecoveryPrompt</name>
    <message>
        <source>Recover…</source>
        <translation>복구…</translation>
    </message>
    <message>
        <source>Preview a rerun of the failed and interrupted tasks of this run; succeeded tasks are kept</source>
        <translation>이 실행의 실패하거나 중단된 태스크를 다시 실행하는 미리보기를 엽니다. 성공한 태스크는 유지됩니다</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Run %1 of %2 was interrupted: the process running it stopped.</source>
        <translation>%2의 실행 %1이(가) 중단되었습니다: 실행하던 프로세스가 멈췄습니다.</translation>
    </message>
    <message>
        <source>Run %1 of %2 (%3) was interrupted: the process running it stopped.</source>
        <translation>%2의 실행 %1(%3)이(가) 중단되었습니다: 실행하던 프로세스가 멈췄습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n more interrupted run(s) in the Runs dock.</source>
        <translation><numerusform>실행 도크에 중단된 실행이 %n개 더 있습니다.</numerusform></translation>
    </message>
    <message>
        <source>Recover… previews a rerun of its failed and interrupted tasks; nothing starts until you click Run</source>
        <translation>복구…는 실패하거나 중단된 태스크의 재실행을 미리 보여 줍니다. 실행을 누르기 전에는 아무것도 시작되지 않습니다</translation>
    </message>
</context>
<context>
    <name>pw::RerunPreview</name>
    <message>
        <source>1 task will run again</source>
        <translation>태스크 1개를 다시 실행</translation>
    </message>
    <message>
        <source>%1 tasks will run again</source>
        <translation>태스크 %1개를 다시 실행</translation>
    </message>
    <message>
        <source>1 is kept</source>
        <translation>1개는 유지</translation>
    </message>
    <message>
        <source>%1 are kept</source>
        <translation>%1개는 유지</translation>
    </message>
    <message>
        <source>no check given</source>
        <translation>확인 내용이 없습니다</translation>
    </message>
    <message>
        <source>%1 must not run twice (%2): %3</source>
        <translation>%1은(는) 두 번 실행되면 안 됩니다 (%2): %3</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 외 %1개</translation>
    </message>
    <message>
        <source>1 task changed: %1</source>
        <translation>태스크 1개 변경: %1</translation>
    </message>
    <message>
        <source>%1 tasks changed: %2</source>
        <translation>태스크 %1개 변경: %2</translation>
    </message>
    <message>
        <source>1 added: %1</source>
        <translation>1개 추가: %1</translation>
    </message>
    <message>
        <source>%1 added: %2</source>
        <translation>%1개 추가: %2</translation>
    </message>
    <message>
        <source>1 removed: %1</source>
        <translation>1개 삭제: %1</translation>
    </message>
    <message>
        <source>%1 removed: %2</source>
        <translation>%1개 삭제: %2</translation>
    </message>
    <message>
        <source>flow settings changed</source>
        <translation>플로 설정이 바뀌었습니다</translation>
    </message>
</context>
<context>
    <name>pw::RetrySettingsEditor</name>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>default (5m)</source>
        <translation>기본값 (5m)</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>exponential</source>
        <translation>지수</translation>
    </message>
    <message>
        <source>default (1h)</source>
        <translation>기본값 (1h)</translation>
    </message>
    <message>
        <source>on</source>
        <translation>켜기</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끄기</translation>
    </message>
    <message>
        <source>every failure (e.g. exit:75, timeout)</source>
        <translation>모든 실패 (예: exit:75, timeout)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>재시도 횟수</translation>
    </message>
    <message>
        <source>Retry delay</source>
        <translation>재시도 지연</translation>
    </message>
    <message>
        <source>Backoff</source>
        <translation>백오프</translation>
    </message>
    <message>
        <source>Max retry delay</source>
        <translation>최대 재시도 지연</translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation>지터</translation>
    </message>
    <message>
        <source>Retry on</source>
        <translation>재시도 조건</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>시간 제한</translation>
    </message>
    <message>
        <source>“%1” is not a retry condition (exit, exit:N, timeout, signal, spawn)</source>
        <translation>“%1”은(는) 재시도 조건이 아닙니다 (exit, exit:N, timeout, signal, spawn)</translation>
    </message>
</context>
<context>
    <name>pw::RunBanner</name>
    <message>
        <source>Show current</source>
        <translation>현재 파일 보기</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>I have checked this: run these tasks again anyway</source>
        <translation>확인했습니다: 이 태스크들을 다시 실행합니다</translation>
    </message>
    <message>
        <source>Use the current file</source>
        <translation>현재 파일 사용</translation>
    </message>
    <message>
        <source>Rerun with the open file's definition: changed tasks and their downstream run too</source>
        <translation>열린 파일의 정의로 다시 실행합니다: 바뀐 태스크와 그 하위 태스크도 실행됩니다</translation>
    </message>
    <message>
        <source>Keep the run's definition</source>
        <translation>실행 당시 정의 유지</translation>
    </message>
    <message>
        <source>Rerun exactly what this run ran, ignoring the file's changes</source>
        <translation>파일의 변경을 무시하고 이 실행이 실행한 그대로 다시 실행합니다</translation>
    </message>
    <message>
        <source>The file changed since this run (%1). Which definition should run?</source>
        <translation>이 실행 이후 파일이 바뀌었습니다 (%1). 어느 정의로 실행할까요?</translation>
    </message>
</context>
<context>
    <name>pw::RunController</name>
    <message>
        <source>The engine is not running.</source>
        <translation>엔진이 실행 중이 아닙니다.</translation>
    </message>
    <message>
        <source>Cancel of run %1 requested</source>
        <translation>실행 %1 취소를 요청했습니다</translation>
    </message>
    <message>
        <source>Cancel of %1 in run %2 requested</source>
        <translation>실행 %2의 %1 취소를 요청했습니다</translation>
    </message>
    <message>
        <source>Run %1 marked %2</source>
        <translation>실행 %1을(를) %2(으)로 표시했습니다</translation>
    </message>
    <message>
        <source>%1 in run %2 marked %3</source>
        <translation>실행 %2의 %1을(를) %3(으)로 표시했습니다</translation>
    </message>
    <message>
        <source>History at %1 is read-only: runs can be viewed but not started</source>
        <translation>%1의 실행 기록은 읽기 전용입니다. 실행을 볼 수는 있지만 시작할 수는 없습니다</translation>
    </message>
</context>
<context>
    <name>pw::RunMonitor</name>
    <message>
        <source>Runs</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>로그</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>차트</translation>
    </message>
    <message>
        <source>Run %1 started</source>
        <translation>실행 %1 시작</translation>
    </message>
    <message>
        <source>Run %1: rerun started</source>
        <translation>실행 %1: 재실행 시작</translation>
    </message>
    <message>
        <source>The engine stopped: %1</source>
        <translation>엔진이 멈췄습니다: %1</translation>
    </message>
    <message>
        <source>The engine did not start: %1</source>
        <translation>엔진을 시작하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>The engine is not running.</source>
        <translation>엔진이 실행 중이 아닙니다.</translation>
    </message>
    <message>
        <source>The flow has no tasks to run.</source>
        <translation>실행할 태스크가 없습니다.</translation>
    </message>
    <message>
        <source>Fix the problems of the flow before running it (see Problems).</source>
        <translation>실행하기 전에 플로의 문제를 고치세요(문제 패널 참고).</translation>
    </message>
    <message>
        <source>Save the flow first: its folder is where its tasks run.</source>
        <translation>먼저 플로를 저장하세요. 태스크는 플로 파일의 폴더에서 실행됩니다.</translation>
    </message>
    <message>
        <source>Recovering run %1</source>
        <translation>실행 %1 복구 중</translation>
    </message>
    <message>
        <source>No active run to cancel.</source>
        <translation>취소할 진행 중인 실행이 없습니다.</translation>
    </message>
    <message>
        <source>Run %1 · loading…</source>
        <translation>실행 %1 · 불러오는 중…</translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3 · %4</source>
        <translation>실행 %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>not the open flow</source>
        <translation>열린 플로가 아님</translation>
    </message>
    <message>
        <source>definition differs from the open file</source>
        <translation>정의가 열린 파일과 다름</translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3/%4</source>
        <translation>실행 %1 · %2 · %3/%4</translation>
    </message>
    <message>
        <source>Rerunning the failed tasks of %1 runs</source>
        <translation>실행 %1개의 실패한 태스크를 다시 실행합니다</translation>
    </message>
    <message>
        <source>Open the flow file of run %1 to rerun it with the current definition.</source>
        <translation>현재 정의로 다시 실행하려면 실행 %1의 플로 파일을 여세요.</translation>
    </message>
    <message>
        <source>runs the open file's definition</source>
        <translation>열린 파일의 정의로 실행합니다</translation>
    </message>
    <message>
        <source>Nothing to run again</source>
        <translation>다시 실행할 태스크가 없습니다</translation>
    </message>
    <message>
        <source>Rerun from here</source>
        <translation>여기부터 다시 실행</translation>
    </message>
    <message>
        <source>Rerun this task only</source>
        <translation>이 태스크만 다시 실행</translation>
    </message>
    <message>
        <source>Mark succeeded</source>
        <translation>성공으로 표시</translation>
    </message>
    <message>
        <source>Mark failed</source>
        <translation>실패로 표시</translation>
    </message>
    <message>
        <source>Cancel this task</source>
        <translation>이 태스크 취소</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>로그 보기</translation>
    </message>
    <message>
        <source>Run %1 %2</source>
        <translation>실행 %1 %2</translation>
    </message>
    <message>
        <source>Tick the confirmation first: some tasks must not run twice unchecked.</source>
        <translation>먼저 확인란을 선택하세요: 확인 없이 두 번 실행되면 안 되는 태스크가 있습니다.</translation>
    </message>
    <message>
        <source>Runs of another file (%1) already use the id '%2': their histories would mix; give this flow another id in the flow settings.</source>
        <translation>다른 파일(%1)의 실행이 이미 ID '%2'을(를) 쓰고 있습니다: 기록이 섞입니다. 플로 설정에서 다른 ID를 지정하세요.</translation>
    </message>
    <message>
        <source>runs the run's own definition: the file's changes are not used</source>
        <translation>실행 당시의 정의로 실행합니다: 파일의 변경은 쓰이지 않습니다</translation>
    </message>
    <message>
        <source>Choose first which definition to run: the current file or the run's own.</source>
        <translation>먼저 실행할 정의를 고르세요: 현재 파일 또는 실행 당시 정의.</translation>
    </message>
    <message>
        <source>Trust and Run</source>
        <translation>신뢰하고 실행</translation>
    </message>
    <message>
        <source>Trust and Rerun</source>
        <translation>신뢰하고 다시 실행</translation>
    </message>
</context>
<context>
    <name>pw::RunTaskDetails</name>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>Exit code</source>
        <translation>종료 코드</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>%1 실행</translation>
    </message>
    <message>
        <source>Click a task to see how it ran; its attempts and log are in the Log dock. Show current edits the flow.</source>
        <translation>태스크를 클릭하면 어떻게 실행되었는지 보입니다. 시도와 로그는 로그 도크에 있습니다. "현재 파일 보기"에서 플로를 편집합니다.</translation>
    </message>
    <message>
        <source>%1 in run %2</source>
        <translation>실행 %2의 %1</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>아직 없음</translation>
    </message>
    <message>
        <source>%1 (this try: %2 of %3)</source>
        <translation>%1 (이번 회차: %3 중 %2)</translation>
    </message>
    <message>
        <source>Show current edits the flow.</source>
        <translation>"현재 파일 보기"에서 플로를 편집합니다.</translation>
    </message>
</context>
<context>
    <name>pw::RunsDock</name>
    <message>
        <source>All flows</source>
        <translation>모든 플로</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Search flow or parameters…</source>
        <translation>플로 또는 파라미터 검색…</translation>
    </message>
    <message>
        <source>Rerun failed tasks of %1 runs</source>
        <translation>실행 %1개의 실패한 태스크 다시 실행</translation>
    </message>
    <message>
        <source>Rerun failed tasks</source>
        <translation>실패한 태스크 다시 실행</translation>
    </message>
    <message>
        <source>Rerun all</source>
        <translation>모두 다시 실행</translation>
    </message>
    <message>
        <source>Rerun with current definition</source>
        <translation>현재 정의로 다시 실행</translation>
    </message>
    <message>
        <source>Mark succeeded</source>
        <translation>성공으로 표시</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Copy parameters</source>
        <translation>파라미터 복사</translation>
    </message>
    <message>
        <source>Parameters copied</source>
        <translation>파라미터를 복사했습니다</translation>
    </message>
    <message>
        <source>Show logs folder</source>
        <translation>로그 폴더 열기</translation>
    </message>
    <message>
        <source>Run %1 has no logs yet</source>
        <translation>실행 %1에는 아직 로그가 없습니다</translation>
    </message>
</context>
<context>
    <name>pw::RunsModel</name>
    <message>
        <source>Run %1 · try %2 · %3</source>
        <translation>실행 %1 · 회차 %2 · %3</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>플로</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>트리거</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행</translation>
    </message>
</context>
<context>
    <name>pw::SchedulerRunner</name>
    <message>
        <source>The engine is not running.</source>
        <translation>엔진이 실행 중이 아닙니다.</translation>
    </message>
</context>
<context>
    <name>pw::SqlHighlighter</name>
    <message>
        <source>Templates are not allowed in SQL: refer to parameters as bound :name</source>
        <translation>SQL에는 템플릿을 쓸 수 없습니다. 파라미터는 바인딩된 :name으로 참조하세요</translation>
    </message>
</context>
<context>
    <name>pw::StatePalette</name>
    <message>
        <source>waiting</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>대기열</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>retry wait</source>
        <translation>재시도 대기</translation>
    </message>
    <message>
        <source>upstream failed</source>
        <translation>선행 실패</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>건너뜀</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>수동</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <source>backfill</source>
        <translation>백필</translation>
    </message>
    <message>
        <source>recover</source>
        <translation>복구</translation>
    </message>
    <message>
        <source>rerun</source>
        <translation>재실행</translation>
    </message>
    <message>
        <source>force</source>
        <translation>강제 재실행</translation>
    </message>
</context>
<context>
    <name>pw::TaskInspector</name>
    <message>
        <source>Task</source>
        <translation>태스크</translation>
    </message>
    <message>
        <source>Letters, digits, _ . - only; must not start with . or -</source>
        <translation>영문자, 숫자, _ . - 만 쓸 수 있고 . 또는 -로 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>Another task has this id</source>
        <translation>다른 태스크가 이 ID를 쓰고 있습니다</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Runs after</source>
        <translation>선행 태스크</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>트리거</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>우선순위</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>풀</translation>
    </message>
    <message>
        <source>Executor</source>
        <translation>실행기</translation>
    </message>
    <message>
        <source>Shell command</source>
        <translation>셸 명령</translation>
    </message>
    <message>
        <source>./extract.sh --date {{date}}</source>
        <translation>./extract.sh --date {{date}}</translation>
    </message>
    <message>
        <source>the flow file's directory</source>
        <translation>플로 파일이 있는 디렉터리</translation>
    </message>
    <message>
        <source>one file per line</source>
        <translation>한 줄에 파일 하나</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>명령</translation>
    </message>
    <message>
        <source>Working dir</source>
        <translation>작업 디렉터리</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>환경 변수</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>출력 파일</translation>
    </message>
    <message>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <source>name in the home's connections.yaml</source>
        <translation>홈의 connections.yaml에 있는 이름</translation>
    </message>
    <message>
        <source>table (optional)</source>
        <translation>테이블 (선택)</translation>
    </message>
    <message>
        <source>column</source>
        <translation>열</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>Partition table</source>
        <translation>파티션 테이블</translation>
    </message>
    <message>
        <source>Partition column</source>
        <translation>파티션 열</translation>
    </message>
    <message>
        <source>Partition value</source>
        <translation>파티션 값</translation>
    </message>
    <message>
        <source>Wait for file</source>
        <translation>파일 대기</translation>
    </message>
    <message>
        <source>default (30s)</source>
        <translation>기본값 (30s)</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>Poke interval</source>
        <translation>확인 간격</translation>
    </message>
    <message>
        <source>Slurm</source>
        <translation>Slurm</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>파티션</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>시간 제한</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>계정</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>Extra arguments</source>
        <translation>추가 인자</translation>
    </message>
    <message>
        <source>Retries and timeout</source>
        <translation>재시도와 시간 제한</translation>
    </message>
    <message numerus="yes">
        <source>%n tasks selected — a change applies to all of them</source>
        <translation><numerusform>태스크 %n개 선택됨 — 변경 사항이 모두에 적용됩니다</numerusform></translation>
    </message>
    <message>
        <source>— (drag from another task's output port)</source>
        <translation>— (다른 태스크의 출력 포트에서 끌어 오세요)</translation>
    </message>
    <message>
        <source>Stable for</source>
        <translation>안정 유지 시간</translation>
    </message>
    <message>
        <source>0 (existing is enough)</source>
        <translation>0 (존재하면 충분)</translation>
    </message>
    <message>
        <source>Safe to repeat</source>
        <translation>반복 실행 안전성</translation>
    </message>
    <message>
        <source>Check before rerun</source>
        <translation>재실행 전 확인</translation>
    </message>
    <message>
        <source>Runs with /bin/sh in the working dir. A {{param}} value is shell-quoted where it is put in: {{date}} becomes '2026-12-01'.
Inside double quotes those quotes stay in the text, so write "orders for "{{date}} rather than "orders for {{date}}", or use {{date|raw}} for a value that is safe to paste in.</source>
        <translation>작업 디렉터리에서 /bin/sh로 실행됩니다. {{param}} 값은 들어가는 자리에서 셸 인용됩니다: {{date}}는 '2026-12-01'이 됩니다.
큰따옴표 안에서는 그 작은따옴표가 글자로 남으므로 "orders for {{date}}" 대신 "orders for "{{date}}처럼 쓰거나, 안전한 값이면 {{date|raw}}를 쓰세요.</translation>
    </message>
    <message numerus="yes">
        <source>Change the type of %n tasks</source>
        <translation><numerusform>태스크 %n개의 유형 변경</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Make all %n selected tasks %1 tasks? Settings of their current types that %1 tasks do not have are dropped (undo brings them back).</source>
        <translation><numerusform>선택한 태스크 %n개를 모두 %1 태스크로 바꿀까요? %1 태스크에 없는 현재 유형의 설정은 버려집니다 (실행 취소로 되돌릴 수 있습니다).</numerusform></translation>
    </message>
    <message>
        <source>Idempotent (safe to run again)</source>
        <translation>멱등 (다시 실행해도 안전)</translation>
    </message>
    <message>
        <source>what to verify before it runs again</source>
        <translation>다시 실행하기 전에 확인할 내용</translation>
    </message>
</context>
<context>
    <name>pw::TaskPanel</name>
    <message>
        <source>Select a task of a run to see its attempts and log.</source>
        <translation>실행의 태스크를 선택하면 시도와 로그가 보입니다.</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>Try</source>
        <translation>회차</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Exit code</source>
        <translation>종료 코드</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3</source>
        <translation>실행 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>statement %1: 1 row</source>
        <translation>문장 %1: 1행</translation>
    </message>
    <message>
        <source>statement %1: %2 rows</source>
        <translation>문장 %1: %2행</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>행 수</translation>
    </message>
</context>
<context>
    <name>pw::TaskTypeInfo</name>
    <message>
        <source>Shell command</source>
        <translation>셸 명령</translation>
    </message>
    <message>
        <source>SQL statement</source>
        <translation>SQL 문</translation>
    </message>
    <message>
        <source>Wait for file</source>
        <translation>파일 대기</translation>
    </message>
    <message>
        <source>No-op (join point)</source>
        <translation>No-op (합류 지점)</translation>
    </message>
    <message>
        <source>Runs a command with /bin/sh</source>
        <translation>/bin/sh로 명령을 실행합니다</translation>
    </message>
    <message>
        <source>Runs SQL in one transaction on a connection</source>
        <translation>연결에서 SQL을 하나의 트랜잭션으로 실행합니다</translation>
    </message>
    <message>
        <source>Waits until a file exists</source>
        <translation>파일이 생길 때까지 기다립니다</translation>
    </message>
    <message>
        <source>Does nothing; groups dependencies</source>
        <translation>아무것도 하지 않고 의존성을 묶습니다</translation>
    </message>
</context>
<context>
    <name>pw::TrustDialog</name>
    <message>
        <source>shell command</source>
        <translation>셸 명령</translation>
    </message>
    <message>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <source>notify command</source>
        <translation>알림 명령</translation>
    </message>
    <message>
        <source>notify webhook</source>
        <translation>알림 웹훅</translation>
    </message>
    <message>
        <source>Trust the changed flow?</source>
        <translation>바뀐 플로를 신뢰할까요?</translation>
    </message>
    <message>
        <source>Trust this flow?</source>
        <translation>이 플로를 신뢰할까요?</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; changed since you trusted it on %2. It runs the commands below on this computer, as you.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;은(는) %2에 신뢰한 뒤 바뀌었습니다. 아래 명령을 이 컴퓨터에서 사용자 권한으로 실행합니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; runs the commands below on this computer, as you. Run it only if you trust where it came from.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;은(는) 아래 명령을 이 컴퓨터에서 사용자 권한으로 실행합니다. 출처를 신뢰할 때만 실행하세요.</translation>
    </message>
    <message>
        <source>What changed: %1.</source>
        <translation>바뀐 점: %1.</translation>
    </message>
    <message>
        <source>You are asked again when what it runs changes. Saving the flow here trusts it.</source>
        <translation>실행 내용이 바뀌면 다시 묻습니다. 여기서 플로를 저장하면 신뢰한 것으로 봅니다.</translation>
    </message>
    <message>
        <source>It runs no commands and no SQL.</source>
        <translation>실행하는 명령이나 SQL이 없습니다.</translation>
    </message>
    <message>
        <source>Flow notifications</source>
        <translation>플로 알림</translation>
    </message>
    <message>
        <source>new</source>
        <translation>새로 추가</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>바뀜</translation>
    </message>
</context>
</TS>
